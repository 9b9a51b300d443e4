/**
 * @crossrank/testing: real BERT cross-encoder ONNX models with seeded random weights (and the
 * ms-marco-MiniLM-L-6-v2 tokenizer), and Qwen3-design causal-LM rerankers (`architecture: 'qwen3'`),
 * for tests that cannot download a model.
 *
 * Depends on @crossrank/core and onnx-proto (to write model files). Load the folders it writes with
 * `CrossEncoder` from @crossrank/onnx. The ONNX graph builder and onnx-proto's types are
 * deliberately not exported, so these declarations need no protobuf types (`Long`) to type-check.
 */
export { createTestCrossEncoder, type TestCrossEncoderModel } from './create-test-cross-encoder.js';
export { defaultTestModelDir } from './default-dir.js';
export { TEST_MODEL_SHAPES, type TestCrossEncoderOptions } from './options.js';
export type { TestArchitecture } from './architecture.js';
export { exitWorkerOnNextRun } from './worker-hooks.js';
// Build an XLM-RoBERTa-shaped tokenizer.json (bge-reranker's template) from a SentencePiece Unigram one.
export { xlmRobertaTokenizerConfig, xlmRobertaTokenizerFromUnigram } from './xlm-roberta-tokenizer.js';
// `quantizeModel` (onnx-proto objects in and out) stays internal: its types would pull protobufjs' `Long` into
// these declarations. Bytes in, bytes out is the public form.
export { quantizeModelBytes, type QuantizeOptions } from './quantize.js';
// File to file, for models that keep their weights in ONNX external data (`model.onnx_data`, over 2 GB).
export { quantizeModelFile, type QuantizeFileOptions } from './quantize-file.js';
// Causal LMs: compute the LM head for the last position only (what a reranker reads).
export { keepLastPositionFile } from './last-position.js';
