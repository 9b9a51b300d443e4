import { parseArgs } from 'node:util';
import type { CrossEncoderDtype } from '@crossrank/onnx';
import { UsageError } from './errors.js';

export const DEFAULT_QUERY = 'How does Docker networking work?';
export const DEFAULT_MODEL = 'Xenova/ms-marco-MiniLM-L-6-v2';
// The weight variants CrossEncoder.load accepts (@crossrank/core's CrossEncoderDtype), checked here so
// a typo gets a usage message instead of a model-loading failure.
const DTYPES: readonly CrossEncoderDtype[] = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];

export interface DemoArgs {
  help: boolean;
  query: string;
  model: string;
  /** Undefined: q8 for hub models, and for folders whichever of q8 / fp32 they hold. */
  dtype: CrossEncoderDtype | undefined;
  topK: number;
  topN: number;
  /** Never download: only the cache or a local folder. */
  offline: boolean;
  cacheDir: string | undefined;
}

export const USAGE = `Usage: pnpm demo [options] [question]

Retrieves candidates from the bundled corpus with BM25, reranks them with a local cross-encoder and,
when OPENAI_API_KEY is set, answers the question with gpt-4o-mini from the reranked passages.

Options:
  -q, --query <text>     the question (default: "${DEFAULT_QUERY}")
  -m, --model <id|dir>   hub id or local model folder (default: ${DEFAULT_MODEL})
      --dtype <dtype>    weights to load: q8 (default), fp32, fp16, ...
      --top-k <n>        BM25 candidates to rerank (default: 20)
      --top-n <n>        passages to keep after reranking (default: 3)
      --cache-dir <dir>  where downloaded models are cached (default: $CROSSRANK_CACHE_DIR/hub, else the Hugging Face hub cache, ~/.cache/huggingface/hub)
      --offline          never download; use only the cache or --model <dir> (env CROSSRANK_OFFLINE=1)
  -h, --help             show this help

Environment: OPENAI_API_KEY (enables the answer step), OPENAI_BASE_URL (default https://api.openai.com/v1).`;

/** Parses the demo's command line (and CROSSRANK_OFFLINE); throws `UsageError` on bad input. */
export function parseDemoArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DemoArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        query: { type: 'string', short: 'q' },
        model: { type: 'string', short: 'm' },
        dtype: { type: 'string' },
        'top-k': { type: 'string' },
        'top-n': { type: 'string' },
        'cache-dir': { type: 'string' },
        offline: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} Run with --help to see the options.`);
  }
  const { values, positionals } = parsed;
  if (values.query !== undefined && positionals.length > 0) {
    throw new UsageError(`Give the question either with --query or as an argument, not both (extra: ${JSON.stringify(positionals.join(' '))}).`);
  }
  const query = (values.query ?? (positionals.length > 0 ? positionals.join(' ') : DEFAULT_QUERY)).trim();
  if (query === '') throw new UsageError('The question is empty: pass --query "your question".');
  const model = (values.model ?? DEFAULT_MODEL).trim();
  if (model === '') throw new UsageError('--model is empty: pass a hub id such as Xenova/ms-marco-MiniLM-L-6-v2 or a model folder.');
  const dtype = values.dtype?.trim();
  if (dtype !== undefined && !(DTYPES as readonly string[]).includes(dtype)) {
    throw new UsageError(`--dtype must be one of ${DTYPES.join(', ')}, got ${JSON.stringify(dtype)}.`);
  }
  const topK = positiveInt('--top-k', values['top-k'], 20);
  const topN = positiveInt('--top-n', values['top-n'], 3);
  if (topN > topK) throw new UsageError(`--top-n (${topN}) cannot exceed --top-k (${topK}): the reranker only sees the top-k candidates.`);
  return {
    help: values.help === true,
    query,
    model,
    dtype: dtype as CrossEncoderDtype | undefined,
    topK,
    topN,
    offline: values.offline === true || isTruthy(env['CROSSRANK_OFFLINE']),
    cacheDir: values['cache-dir'],
  };
}

function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a positive whole number, got ${JSON.stringify(raw)}.`);
  }
  return n;
}

/** How CROSSRANK_OFFLINE is read: set and not 0/false/no. */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false', 'no'].includes(value.trim().toLowerCase());
}
