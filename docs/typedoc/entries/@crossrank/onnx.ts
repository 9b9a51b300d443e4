/**
 * `CrossEncoder`: a local cross-encoder on ONNX Runtime, with Hugging Face tokenizers and hub cache.
 *
 * @module @crossrank/onnx
 */
export * from '@crossrank/onnx';
