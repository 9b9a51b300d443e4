import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../api/errors.js';
import { DEFAULT_QUERY } from '../api/passages.js';

export const DEFAULT_MODEL = 'Xenova/ms-marco-MiniLM-L-6-v2';

export interface FallbackArgs {
  help: boolean;
  /** The local fallback: a hub id or a model folder. */
  model: string;
  /** A Cohere-compatible server (e.g. vLLM) instead of Cohere's hosted API. */
  baseUrl: string | undefined;
  query: string;
  topN: number;
}

export const USAGE = `Usage: pnpm --filter @crossrank/examples fallback [-- options]

Reranks a few passages with Cohere and falls back to a local cross-encoder when Cohere fails or has
no key (COHERE_API_KEY), then prints which one served and the ranking.

Options:
  -m, --model <id|dir>   the local cross-encoder: hub id or model folder (default: ${DEFAULT_MODEL})
      --base-url <url>   a Cohere-compatible server (/v2/rerank, e.g. vLLM) instead of Cohere's API;
                         it gets RERANK_API_KEY, never COHERE_API_KEY
  -q, --query <text>     the question (default: "${DEFAULT_QUERY}")
  -n, --top-n <n>        passages to print (default: 3)
  -h, --help             show this help`;

/** Parses the example's command line; throws `UsageError` naming the bad flag. */
export function parseFallbackArgs(argv: readonly string[], baseDir = process.env['INIT_CWD'] || process.cwd()): FallbackArgs {
  // `pnpm <script> -- --flag` passes the `--` through; npm and a direct call do not.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        model: { type: 'string', short: 'm', default: DEFAULT_MODEL },
        'base-url': { type: 'string' },
        query: { type: 'string', short: 'q', default: DEFAULT_QUERY },
        'top-n': { type: 'string', short: 'n', default: '3' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  for (const flag of ['model', 'base-url', 'query'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') throw new UsageError(`--${flag} is empty: give it a value or leave it out.`);
  }
  const topN = values['top-n']!;
  if (!/^\d+$/.test(topN.trim()) || Number(topN) < 1) throw new UsageError(`--top-n must be a whole number of at least 1; got "${topN}".`);
  return { help: values.help!, model: localModel(values.model!, baseDir), baseUrl: values['base-url'], query: values.query!, topN: Number(topN) };
}

/**
 * A folder given relative to where the user typed the command (`INIT_CWD`, set by pnpm), not to the
 * examples package the script runs in; anything else that is not an existing folder is a hub id.
 */
export function localModel(model: string, baseDir: string): string {
  if (isAbsolute(model)) return model;
  const folder = resolve(baseDir, model);
  return model.startsWith('.') || existsSync(folder) ? folder : model;
}
