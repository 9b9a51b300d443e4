import os from 'node:os';
import path from 'node:path';

/** Names the folder below `CROSSRANK_CACHE_DIR` (or the default root) that holds downloaded models. */
const DOWNLOADS_FOLDER = 'transformers-js';

/**
 * Where hub models are downloaded to and looked up, unless `cacheDir` is passed to `CrossEncoder.load`:
 *
 * 1. `$CROSSRANK_CACHE_DIR/transformers-js`
 * 2. `$HF_ASSETS_CACHE/crossrank/transformers-js`
 * 3. `$HF_HOME/assets/crossrank/transformers-js`
 * 4. `$XDG_CACHE_HOME/huggingface/assets/crossrank/transformers-js`
 * 5. `~/.cache/huggingface/assets/crossrank/transformers-js`
 *
 * Per user, so reinstalling `node_modules` (transformers.js's own default) no longer throws the
 * download away. Not the hub cache (`HF_HUB_CACHE`, `~/.cache/huggingface/hub`): transformers.js
 * stores plain `<id>/<file>` paths there, not huggingface_hub's `models--org--name/blobs|snapshots`
 * layout, and Python's `hf cache scan` / `delete` would report those folders as corrupt. The assets
 * cache is what huggingface_hub reserves for downstream libraries' files, one folder per library.
 * Read on every call, so a change to the environment applies to the next load.
 */
export function defaultModelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = setting(env['CROSSRANK_CACHE_DIR']);
  if (own !== undefined) return path.join(own, DOWNLOADS_FOLDER);
  return path.join(huggingFaceAssetsDir(env), 'crossrank', DOWNLOADS_FOLDER);
}

/** huggingface_hub's `HF_ASSETS_CACHE`, with its documented fallbacks. */
function huggingFaceAssetsDir(env: NodeJS.ProcessEnv): string {
  const assets = setting(env['HF_ASSETS_CACHE']);
  if (assets !== undefined) return assets;
  const home = setting(env['HF_HOME']) ?? path.join(setting(env['XDG_CACHE_HOME']) ?? path.join(os.homedir(), '.cache'), 'huggingface');
  return path.join(home, 'assets');
}

/**
 * Where transformers.js's file cache keeps one file of a hub model: `<id>/<file>` for `main`,
 * `<id>/<revision>/<file>` for any other revision.
 */
export function cachedFilePath(cacheDir: string, id: string, revision: string | undefined, file: string): string {
  return revision === undefined || revision === 'main' ? path.join(cacheDir, id, file) : path.join(cacheDir, id, revision, file);
}

/** An unset or blank variable counts as absent; `~/` is expanded as huggingface_hub does. */
function setting(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (trimmed === '~' || trimmed.startsWith('~/')) return path.resolve(path.join(os.homedir(), trimmed.slice(1)));
  return path.resolve(trimmed);
}
