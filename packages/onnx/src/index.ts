/**
 * @crossrank/onnx: `CrossEncoder`, a local cross-encoder on ONNX Runtime that implements the
 * `Reranker` contract of `@crossrank/core`, loading hub models through the Hugging Face hub cache.
 *
 * Depends on @crossrank/core, onnxruntime-node and @huggingface/tokenizers (the last two loaded on the
 * first `CrossEncoder.load`, not on import); not on transformers.js (see the README). Its errors (`ModelNotFoundError`,
 * `InvalidInputError`, ...) are exported by @crossrank/core, so code that only handles them need
 * not load this package; its tokenizer and batching internals are deliberately not exported.
 */
export { CrossEncoder, type CausalInfo, type CrossEncoderInfo, type Pair } from './cross-encoder.js';
export type { CrossEncoderDtype, CrossEncoderLoadOptions, CrossEncoderRerankOptions, LoadProgress, PredictOptions } from './options.js';
export type { CausalPresetName } from './causal/presets.js';
export { defaultModelCacheDir } from './cache-dir.js';
export type { ActivationSource, ScoreActivation } from './activation.js';
export { planWindows, type LongDocumentMode, type LongDocumentOptions, type TextSpan } from './long-documents.js';
