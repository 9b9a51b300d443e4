import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';

/**
 * The Hugging Face settings huggingface_hub reads from the environment (its `constants.py`), read
 * the same way so a cache, an endpoint, an offline switch or a login set up for Python applies here
 * too. Read on every call: a change to the environment applies to the next load.
 */
export interface HubSettings {
  /** Where hub models are cached, in huggingface_hub's `models--org--name` layout. */
  cacheDir: string;
  /** `https://huggingface.co`, or `HF_ENDPOINT` (a mirror, or a test server), without a trailing slash. */
  endpoint: string;
  /** `HF_HUB_OFFLINE` (or `TRANSFORMERS_OFFLINE`) is set to a true value: never touch the network. */
  offline: boolean;
  /** `HF_TOKEN`, else the token file `hf auth login` writes. Never logged, never in a message. */
  token: string | undefined;
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export function hubSettings(env: NodeJS.ProcessEnv = process.env): HubSettings {
  return { cacheDir: defaultModelCacheDir(env), endpoint: hubEndpoint(env), offline: hubOffline(env), token: hubToken(env) };
}

/**
 * Where hub models are downloaded to and looked up, unless `cacheDir` is passed to `CrossEncoder.load`:
 *
 * 1. `$CROSSRANK_CACHE_DIR/hub`
 * 2. `$HF_HUB_CACHE` (or the older `$HUGGINGFACE_HUB_CACHE`)
 * 3. `$HF_HOME/hub`
 * 4. `$XDG_CACHE_HOME/huggingface/hub`
 * 5. `~/.cache/huggingface/hub`
 *
 * 2-5 are huggingface_hub's own order, so by default a model Python downloaded loads here, and one
 * downloaded here loads in Python. `CROSSRANK_CACHE_DIR` keeps crossrank's downloads apart (still in
 * the hub layout, so pointing `HF_HUB_CACHE` at `$CROSSRANK_CACHE_DIR/hub` shares them again).
 */
export function defaultModelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = setting(env['CROSSRANK_CACHE_DIR']);
  if (own !== undefined) return path.join(own, 'hub');
  const hub = setting(env['HF_HUB_CACHE']) ?? setting(env['HUGGINGFACE_HUB_CACHE']);
  if (hub !== undefined) return hub;
  return path.join(huggingFaceHome(env), 'hub');
}

function huggingFaceHome(env: NodeJS.ProcessEnv): string {
  return setting(env['HF_HOME']) ?? path.join(setting(env['XDG_CACHE_HOME']) ?? path.join(os.homedir(), '.cache'), 'huggingface');
}

function hubEndpoint(env: NodeJS.ProcessEnv): string {
  const value = env['HF_ENDPOINT']?.trim();
  return (value ? value : DEFAULT_ENDPOINT).replace(/\/+$/, '');
}

/** huggingface_hub's `_is_true`: 1, ON, YES, TRUE in any case. */
function hubOffline(env: NodeJS.ProcessEnv): boolean {
  const value = env['HF_HUB_OFFLINE'] || env['TRANSFORMERS_OFFLINE'];
  return value !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(value.trim().toUpperCase());
}

/** `HF_TOKEN`, else the file at `HF_TOKEN_PATH` (default `$HF_HOME/token`), as huggingface_hub's `get_token`. */
function hubToken(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env['HF_TOKEN']?.trim();
  if (fromEnv) return fromEnv;
  const file = setting(env['HF_TOKEN_PATH']) ?? path.join(huggingFaceHome(env), 'token');
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** An unset or blank variable counts as absent; `~/` is expanded as huggingface_hub does. */
function setting(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (trimmed === '~' || trimmed.startsWith('~/')) return path.resolve(path.join(os.homedir(), trimmed.slice(1)));
  return path.resolve(trimmed);
}
