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
export const DEFAULT_MAX_BATCH_TOKENS = 2048;

/**
 * The fixed cost of one forward pass in tokens' worth of compute, which batch planning weighs against
 * padding. Measured with ms-marco-MiniLM-L-6-v2 on 2 cores: about 2.3 ms per call against 0.1 ms per
 * fp32 token (int8 tokens cost about 2.5x less, so the same overhead is worth more of them).
 */
export const BATCH_OVERHEAD_TOKENS: Partial<Record<CrossEncoderDtype, number>> & { fp32: number } = { fp32: 24, q8: 48 };
