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

/** Download / load progress, as reported by `@huggingface/transformers`. */
export interface LoadProgress {
  status: 'initiate' | 'download' | 'progress' | 'done' | 'ready' | string;
  file?: string;
  name?: string;
  /** Percent (0-100) of the current file, for `progress` events. */
  progress?: number;
  loaded?: number;
  total?: number;
}

export interface CrossEncoderLoadOptions {
  /** Which weights to load: `onnx/model.onnx` (fp32, default), `model_quantized.onnx` (q8), ... */
  dtype?: CrossEncoderDtype;
  /** Tokens per pair, special tokens included. Default: the model's limit (512 for BERT). */
  maxLength?: number;
  /** ONNX Runtime intra-op threads. Default: the number of CPU cores. */
  threads?: number;
  /** Most pairs in one forward pass. */
  batchSize?: number;
  /** Most tokens (padded) in one forward pass; long pairs get smaller batches. */
  maxBatchTokens?: number;
  /** Never download: use only a local folder or the cache. */
  localFilesOnly?: boolean;
  /** Where downloaded models are cached. Default: `@huggingface/transformers`' cache folder. */
  cacheDir?: string;
  /** Hub revision (branch, tag or commit). Default: `main`. */
  revision?: string;
  /** Called with download and load progress (e.g. to draw a progress bar). */
  onProgress?: (progress: LoadProgress) => void;
  /** Extra ONNX Runtime session options, merged over crossrank's defaults. */
  sessionOptions?: Record<string, unknown>;
}

export interface PredictOptions {
  signal?: AbortSignal;
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
