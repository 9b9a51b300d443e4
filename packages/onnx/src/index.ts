/**
 * @crossrank/onnx: `CrossEncoder`, a local cross-encoder on ONNX Runtime (through
 * `@huggingface/transformers`) that implements the `Reranker` contract of `@crossrank/core`.
 *
 * Depends on @crossrank/core and @huggingface/transformers. Its errors (`ModelNotFoundError`,
 * `InvalidInputError`, ...) are exported by @crossrank/core, so code that only handles them need
 * not load this package; its tokenizer and batching internals are deliberately not exported.
 */
export { CrossEncoder, type CausalInfo, type CrossEncoderInfo, type Pair } from './cross-encoder.js';
export type { CrossEncoderDtype, CrossEncoderLoadOptions, CrossEncoderRerankOptions, LoadProgress, PredictOptions } from './options.js';
export type { CausalPresetName } from './causal/presets.js';
export { defaultModelCacheDir } from './cache-dir.js';
export type { ActivationSource, ScoreActivation } from './activation.js';
export { planWindows, type LongDocumentMode, type LongDocumentOptions, type TextSpan } from './long-documents.js';
