import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { parseArgsMessage } from './parse-args-message.js';

export const BACKENDS = ['local', 'cohere', 'jina', 'voyage', 'mixedbread', 'tei', 'vllm', 'infinity', 'llama-cpp', 'huggingface', 'none'] as const;
export type Backend = (typeof BACKENDS)[number];

// The weight variants transformers.js publishes (`onnx/model{_suffix}.onnx`).
export const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;

export interface EvalArgs {
  candidates: string;
  corpus?: string;
  queries?: string;
  qrels: string;
  backend: Backend;
  model?: string;
  dtype?: (typeof DTYPES)[number];
  threads?: number;
  batchSize?: number;
  maxLength?: number;
  cacheDir?: string;
  localFilesOnly: boolean;
  apiModel?: string;
  baseUrl?: string;
  /** The environment variable holding the API key (`--api-key-env`). */
  apiKeyEnv?: string;
  depth: number;
  recallDepths: number[];
  relLevel: number;
  limit?: number;
  json: boolean;
}

export type EvalCommand = { help: true } | ({ help: false } & EvalArgs);

const EVAL_OPTIONS = {
  candidates: { type: 'string' },
  corpus: { type: 'string' },
  queries: { type: 'string' },
  qrels: { type: 'string' },
  backend: { type: 'string' },
  model: { type: 'string' },
  dtype: { type: 'string' },
  threads: { type: 'string' },
  'batch-size': { type: 'string' },
  'max-length': { type: 'string' },
  'cache-dir': { type: 'string' },
  'local-files-only': { type: 'boolean' },
  'api-model': { type: 'string' },
  'base-url': { type: 'string' },
  'api-key-env': { type: 'string' },
  depth: { type: 'string' },
  k: { type: 'string' },
  'rel-level': { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const LOCAL_ONLY = ['model', 'dtype', 'threads', 'batch-size', 'max-length', 'cache-dir', 'local-files-only'] as const;
const API_ONLY = ['api-model', 'base-url', 'api-key-env'] as const;

/** Parses `crossrank eval` arguments (everything after `eval`). Throws `UsageError` on any mistake. */
export function parseEvalArgs(argv: readonly string[]): EvalCommand {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: EVAL_OPTIONS, strict: true, allowPositionals: true }));
  } catch (error) {
    throw new UsageError(`${parseArgsMessage(error as Error, EVAL_OPTIONS)} Run "crossrank eval --help" for the options.`);
  }
  if (values.help) return { help: true };
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${positionals[0]}". Name inputs with --candidates, --qrels, ...`);
  }

  const str = (name: string) => values[name] as string | undefined;
  const candidates = required(str('candidates'), '--candidates <file>');
  const qrels = required(str('qrels'), '--qrels <file>');

  const backendName = str('backend') ?? 'local';
  if (!(BACKENDS as readonly string[]).includes(backendName)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}; got "${backendName}".`);
  }
  const backend = backendName as Backend;
  const misplaced = backend === 'local' ? API_ONLY : backend === 'none' ? [...LOCAL_ONLY, ...API_ONLY] : LOCAL_ONLY;
  for (const name of misplaced) {
    if (values[name] !== undefined) {
      const owner = (LOCAL_ONLY as readonly string[]).includes(name) ? '--backend local' : 'API backends';
      throw new UsageError(`--${name} is for ${owner}, not --backend ${backend}.`);
    }
  }
  if (backend === 'tei' && str('api-model') !== undefined) {
    throw new UsageError('--api-model does not apply to --backend tei: a TEI server serves the one model it was started with.');
  }
  if (backend === 'tei' && str('base-url') === undefined) {
    throw new UsageError('--backend tei needs --base-url, the address of your Text Embeddings Inference server.');
  }
  const selfHosted: Partial<Record<Backend, string>> = {
    'llama-cpp': 'your llama-server started with --rerank',
    vllm: 'your vLLM server (vllm serve <reranker>)',
    infinity: 'your Infinity server',
  };
  if (selfHosted[backend] && str('base-url') === undefined) {
    throw new UsageError(`--backend ${backend} needs --base-url, the address of ${selfHosted[backend]}.`);
  }
  if (backend === 'huggingface' && (str('base-url') === undefined) === (str('api-model') === undefined)) {
    throw new UsageError('--backend huggingface needs either --api-model <hub id> (the Hugging Face router) or --base-url <endpoint URL>, not both.');
  }
  const baseUrl = str('base-url');
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
    throw new UsageError(`--base-url must be an http(s) URL, got "${baseUrl}".`);
  }

  const dtype = str('dtype');
  if (dtype !== undefined && !(DTYPES as readonly string[]).includes(dtype)) {
    throw new UsageError(`--dtype must be one of ${DTYPES.join(', ')}; got "${dtype}".`);
  }

  return {
    help: false,
    candidates,
    corpus: str('corpus'),
    queries: str('queries'),
    qrels,
    backend,
    model: nonEmpty(str('model'), '--model'),
    dtype: dtype as EvalArgs['dtype'],
    threads: optionalInt(str('threads'), '--threads', 1),
    batchSize: optionalInt(str('batch-size'), '--batch-size', 1),
    maxLength: optionalInt(str('max-length'), '--max-length', 3),
    cacheDir: nonEmpty(str('cache-dir'), '--cache-dir'),
    localFilesOnly: values['local-files-only'] === true,
    apiModel: nonEmpty(str('api-model'), '--api-model'),
    baseUrl,
    apiKeyEnv: nonEmpty(str('api-key-env'), '--api-key-env'),
    depth: optionalInt(str('depth'), '--depth', 1) ?? 100,
    recallDepths: parseCutoffs(str('k') ?? '10,100'),
    relLevel: optionalInt(str('rel-level'), '--rel-level', 1) ?? 2,
    limit: optionalInt(str('limit'), '--limit', 1),
    json: values.json === true,
  };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`Missing ${flag}. Run "crossrank eval --help" for usage.`);
  return value;
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value === '') throw new UsageError(`${flag} needs a value.`);
  return value;
}

function optionalInt(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    throw new UsageError(`${flag} must be an integer >= ${min}, got "${value}".`);
  }
  return Number(value);
}

/** `--k 10,100` -> [10, 100]: sorted, duplicates dropped. */
function parseCutoffs(value: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  const cutoffs = parts.map((part) => optionalInt(part, '--k (each cutoff)', 1)!);
  return [...new Set(cutoffs)].sort((a, b) => a - b);
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
