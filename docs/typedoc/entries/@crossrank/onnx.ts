/**
 * `CrossEncoder`: a local cross-encoder on ONNX Runtime (through `@huggingface/transformers`).
 *
 * @module @crossrank/onnx
 */
export * from '@crossrank/onnx';
