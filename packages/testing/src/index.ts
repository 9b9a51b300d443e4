// @crossrank/core/testing: real BERT cross-encoder ONNX models with seeded random weights, for
// tests that cannot download a model.
export { createTestCrossEncoder, type TestCrossEncoderModel } from './create-test-cross-encoder.js';
export { defaultTestModelDir } from './default-dir.js';
export { TEST_MODEL_SHAPES, type TestCrossEncoderOptions } from './options.js';
export { quantizeModel, quantizeModelBytes, type QuantizeOptions } from './quantize.js';
