import os from 'node:os';
import path from 'node:path';
import type { ScoreActivation } from './activation.js';
import type { CausalPresetName } from './causal/presets.js';
import { checkKnownKeys } from '@crossrank/core';
import type { RerankOptions } from './reranker.js';
import { InvalidInputError } from './errors.js';
import type { LongDocumentOptions } from './long-documents.js';
import { describe } from './ranking.js';

/** Model file variants, named as transformers.js names them (`onnx/model{suffix}.onnx`). */
export const DTYPE_FILE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;

export type CrossEncoderDtype = keyof typeof DTYPE_FILE_SUFFIX;

/** Download progress of one file of a hub model (the event shapes transformers.js reports). */
export interface LoadProgress {
  status: 'initiate' | 'download' | 'progress' | 'done' | 'ready' | string;
  file?: string;
  name?: string;
  /** Percent (0-100) of the current file, for `progress` events. */
  progress?: number;
  loaded?: number;
  total?: number;
}

export interface CrossEncoderLoadOptions extends LongDocumentOptions {
  /** Which weights to load: `onnx/model.onnx` (fp32, default), `model_quantized.onnx` (q8), ... */
  dtype?: CrossEncoderDtype;
  /**
   * Any ONNX file in the repository or folder, by its path there: `onnx/model_quint8_avx2.onnx`,
   * `onnx/model_O3.onnx`, ... Pass `dtype` or `modelFile`, not both. A file named as a `dtype` is
   * treated as that dtype; any other name with `quant`, `int8` or `uint8` in it as `q8` (scored one
   * pair per pass by default, see `batchSize`), the rest as `fp32`.
   */
  modelFile?: string;
  /** Tokens per pair, special tokens included. Default: the model's limit (512 for BERT). */
  maxLength?: number;
  /**
   * ONNX Runtime intra-op threads per session: per worker thread, or of the calling thread's
   * session with `workers: 0`. Default: the CPU cores divided among the workers (at least 1), or
   * all cores with `workers: 0`.
   */
  threads?: number;
  /**
   * Worker threads that run forward passes, each holding its own copy of the model (the memory
   * cost is per worker); with any, the tokenizer is also loaded and run in a worker thread of its
   * own, so the calling thread's event loop stays free. `0` runs everything in the calling thread.
   * Default `'auto'`: 2, with the cores divided between them, when the model file is at most 1/32
   * of the machine's (or container's) memory; else 1 with every core; 1 on a one-core machine.
   */
  workers?: number | 'auto';
  /**
   * Linux only: niceness (0-19) the worker threads add to their own priority, so under CPU contention
   * the calling thread's event loop runs first. Default 0 (unchanged). Not applied on macOS or
   * Windows, where it would lower the whole process; `info.workerNice` says what was applied.
   */
  workerNice?: number;
  /** Most pairs in one forward pass. */
  batchSize?: number;
  /** Most tokens (padded) in one forward pass; long pairs get smaller batches. */
  maxBatchTokens?: number;
  /** Never download: use only a local folder or the cache. */
  localFilesOnly?: boolean;
  /**
   * The Hugging Face hub cache to download to and load from, in huggingface_hub's layout (shared
   * with Python). Default: `defaultModelCacheDir()`: `$CROSSRANK_CACHE_DIR/hub`, else `$HF_HUB_CACHE`,
   * else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`.
   */
  cacheDir?: string;
  /** Hub revision: a branch, a tag or a full commit hash. Default: `main`. */
  revision?: string;
  /** Called with download progress (e.g. to draw a progress bar); silent when the model is cached. */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * How `rerank` turns logits into scores. Default: what the model's config.json declares
   * (`sentence_transformers.activation_fn`), else sigmoid for one logit and softmax for two.
   */
  activation?: ScoreActivation;
  /** Extra ONNX Runtime session options, merged over crossrank's defaults. */
  sessionOptions?: Record<string, unknown>;
  /**
   * Causal-LM rerankers only: the default task instruction, rendered as the chat's system message
   * (sentence-transformers' `prompt`). Default: the model's `default_prompt_name` prompt, else none
   * (the template's own default, e.g. Qwen3-Reranker's "Given a web search query, ...").
   */
  instruction?: string;
  /** Causal-LM rerankers only: the default instruction by name, from the model's `prompts`. */
  promptName?: string;
  /**
   * Causal-LM rerankers published without sentence-transformers files: which known prompt to use.
   * Default: chosen by the hub id or folder name (`qwen3-reranker` for names containing "Qwen3-Reranker").
   */
  preset?: CausalPresetName;
}

export interface PredictOptions {
  signal?: AbortSignal;
  /** Causal-LM rerankers only: this call's instruction (overrides the load default; `''` renders none). */
  instruction?: string;
  /** Causal-LM rerankers only: this call's instruction by name, from the model's `prompts`. */
  promptName?: string;
}

/** `CrossEncoder.rerank`'s options: the `Reranker` contract's, plus a causal-LM reranker's instruction. */
export interface CrossEncoderRerankOptions extends RerankOptions {
  /** Causal-LM rerankers only: this call's instruction (overrides the load default; `''` renders none). */
  instruction?: string;
  /** Causal-LM rerankers only: this call's instruction by name, from the model's `prompts`. */
  promptName?: string;
}

export const DEFAULT_BATCH_SIZE = 32;

/**
 * Dtypes whose graphs quantize activations at run time with one scale per forward pass
 * (DynamicQuantizeLinear / DynamicQuantizeMatMul): a pair's score would then depend on the other
 * pairs in its batch (up to 0.4 logits on the MiniLM shape). They run one pair per pass by default,
 * which keeps scores independent of batching and measured as fast on 2 cores (p50 216 vs 221 ms per
 * 20-candidate DL19 query); an explicit `batchSize` overrides it.
 */
export const PER_PAIR_DTYPES: ReadonlySet<CrossEncoderDtype> = new Set<CrossEncoderDtype>(['q8', 'int8', 'uint8']);
export const DEFAULT_MAX_BATCH_TOKENS = 2048;

/**
 * What one forward pass costs beyond its tokens, in tokens' worth of compute: batch planning weighs
 * it against padding (see `planBatches`). With ms-marco-MiniLM-L-6-v2 on 2 cores a call costs about
 * 2 ms on top of 0.1 ms per fp32 token (0.04 ms int8); `pnpm bench` found 8 to 48 within noise of each
 * other on an idle machine and smaller values faster on a busy one, where padding hurts more.
 */
export const BATCH_OVERHEAD_TOKENS = 16;

/**
 * Upper bounds for counts a caller sets: past them a value is a mistake that costs the machine
 * (`threads: 100000` asks ONNX Runtime for that many OS threads). Checked before anything is loaded.
 */
export const LOAD_OPTION_BOUNDS = {
  maxLength: { min: 1, max: 131_072 },
  batchSize: { min: 1, max: 4_096 },
  maxBatchTokens: { min: 1, max: 1_048_576 },
} as const;

/** More intra-op threads than this per core only makes the threads wait for each other. */
export const THREADS_PER_CORE = 4;

/** The most `threads` (or ONNX Runtime `intraOpNumThreads`/`interOpNumThreads`) accepted on this machine. */
export function maxThreads(): number {
  return THREADS_PER_CORE * Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/**
 * Checks one count option: an integer in [min, max], or undefined. The message names the option,
 * the range and what the bound is for; other options (e.g. a `workers` count) can use it too.
 */
export function checkCount(name: string, value: unknown, bounds: { min: number; max: number }, why = ''): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new InvalidInputError(
      `${name} must be an integer from ${bounds.min} to ${bounds.max}${why}, got ${describe(value)}.`,
    );
  }
}

/** Every key of `CrossEncoderLoadOptions`; `satisfies` keeps the list in step with the interface. */
export const LOAD_OPTION_KEYS: readonly string[] = Object.keys({
  dtype: true,
  maxLength: true,
  threads: true,
  workers: true,
  workerNice: true,
  batchSize: true,
  maxBatchTokens: true,
  localFilesOnly: true,
  cacheDir: true,
  revision: true,
  modelFile: true,
  onProgress: true,
  activation: true,
  sessionOptions: true,
  longDocuments: true,
  window: true,
  stride: true,
  instruction: true,
  promptName: true,
  preset: true,
} satisfies Record<keyof CrossEncoderLoadOptions, true>);

const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'layout', 'all'];
const EXECUTION_MODES = ['sequential', 'parallel'];

/**
 * Validates every `CrossEncoder.load` option before anything is loaded or created, naming the
 * option that is wrong, and returns the dtype to load.
 */
export function checkLoadOptions(options: unknown): { dtype: CrossEncoderDtype; modelFile: string } {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidInputError(`options must be an object, got ${describe(options)}.`);
  }
  // A misspelt option (`dytpe`) would otherwise load the defaults without a word.
  checkKnownKeys(options, LOAD_OPTION_KEYS, 'CrossEncoder.load options');
  const o = options as Record<string, unknown>;
  const dtype = o['dtype'] ?? 'fp32';
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_FILE_SUFFIX, dtype)) {
    throw new InvalidInputError(`options.dtype must be one of ${Object.keys(DTYPE_FILE_SUFFIX).join(', ')}, got ${describe(dtype)}.`);
  }
  const modelFile = o['modelFile'];
  if (modelFile !== undefined) {
    if (o['dtype'] !== undefined) {
      throw new InvalidInputError(`Pass options.dtype or options.modelFile, not both (got dtype ${describe(o['dtype'])} and modelFile ${describe(modelFile)}).`);
    }
    checkModelFile(modelFile);
  }
  for (const key of Object.keys(LOAD_OPTION_BOUNDS) as Array<keyof typeof LOAD_OPTION_BOUNDS>) {
    checkCount(`options.${key}`, o[key], LOAD_OPTION_BOUNDS[key]);
  }
  const threadBounds = { min: 1, max: maxThreads() };
  const threadsWhy = ` (${THREADS_PER_CORE} per CPU core here; more threads only wait for each other)`;
  checkCount('options.threads', o['threads'], threadBounds, threadsWhy);
  for (const key of ['localFilesOnly'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new InvalidInputError(`options.${key} must be a boolean, got ${describe(o[key])}.`);
  }
  for (const key of ['cacheDir', 'revision'] as const) {
    const value = o[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw new InvalidInputError(`options.${key} must be a non-empty string, got ${describe(value)}.`);
    }
  }
  const revision = o['revision'];
  if (typeof revision === 'string' && (!/^[\w.\-/]+$/.test(revision) || revision.split('/').some((part) => part === '' || part === '.' || part === '..'))) {
    throw new InvalidInputError(
      `options.revision must be a branch, a tag or a full commit hash (letters, digits, '_', '-', '.', '/' without '.' or '..' parts), got ${describe(revision)}.`,
    );
  }
  if (o['onProgress'] !== undefined && typeof o['onProgress'] !== 'function') {
    throw new InvalidInputError(`options.onProgress must be a function (progress) => void, got ${describe(o['onProgress'])}.`);
  }
  checkSessionOptions(o['sessionOptions'], threadBounds, threadsWhy);
  if (typeof modelFile === 'string') return { dtype: dtypeOfModelFile(modelFile), modelFile };
  return { dtype: dtype as CrossEncoderDtype, modelFile: dtypeModelFile(dtype as CrossEncoderDtype) };
}

/** Where transformers.js keeps a dtype's weights: `onnx/model{suffix}.onnx`. */
export function dtypeModelFile(dtype: CrossEncoderDtype): string {
  return `onnx/model${DTYPE_FILE_SUFFIX[dtype]}.onnx`;
}

/** The dtype a file is named for, else a guess from its name (see `CrossEncoderLoadOptions.modelFile`). */
function dtypeOfModelFile(file: string): CrossEncoderDtype {
  const named = (Object.keys(DTYPE_FILE_SUFFIX) as CrossEncoderDtype[]).find((dtype) => dtypeModelFile(dtype) === file);
  if (named) return named;
  return /quant|int8|uint8/i.test(path.posix.basename(file)) ? 'q8' : 'fp32';
}

/** A relative `/`-separated path to an `.onnx` file that stays inside the repository or folder. */
function checkModelFile(value: unknown): void {
  const problem =
    typeof value !== 'string' || value.trim() === ''
      ? 'must be a non-empty string'
      : !value.endsWith('.onnx')
        ? 'must name an .onnx file'
        : value.startsWith('/') || value.includes('\\') || /^[A-Za-z]:/.test(value) || value.split('/').some((part) => part === '' || part === '.' || part === '..')
          ? "must be a relative path inside the model's repository or folder, with / between folders and no '.' or '..' parts"
          : undefined;
  if (problem !== undefined) {
    throw new InvalidInputError(`options.modelFile ${problem} (e.g. "onnx/model_quint8_avx2.onnx"), got ${describe(value)}.`);
  }
}

/** The ONNX Runtime session options crossrank knows; others pass through to ONNX Runtime unchecked. */
function checkSessionOptions(value: unknown, threadBounds: { min: number; max: number }, threadsWhy: string): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(`options.sessionOptions must be an object of ONNX Runtime session options, got ${describe(value)}.`);
  }
  const s = value as Record<string, unknown>;
  checkCount('options.sessionOptions.intraOpNumThreads', s['intraOpNumThreads'], threadBounds, threadsWhy);
  checkCount('options.sessionOptions.interOpNumThreads', s['interOpNumThreads'], threadBounds, threadsWhy);
  for (const [key, allowed] of [
    ['graphOptimizationLevel', GRAPH_OPTIMIZATION_LEVELS],
    ['executionMode', EXECUTION_MODES],
  ] as const) {
    const v = s[key];
    if (v !== undefined && (typeof v !== 'string' || !allowed.includes(v))) {
      throw new InvalidInputError(`options.sessionOptions.${key} must be one of ${allowed.join(', ')}, got ${describe(v)}.`);
    }
  }
  const extra = s['extra'];
  if (extra !== undefined && (extra === null || typeof extra !== 'object' || Array.isArray(extra))) {
    throw new InvalidInputError(`options.sessionOptions.extra must be an object of string settings, got ${describe(extra)}.`);
  }
}
