import * as onnxProto from 'onnx-proto';

// onnx-proto is CommonJS (`module.exports = $root`): its namespace sits on the import or on `default`.
type OnnxNamespace = typeof onnxProto.onnx;
const loaded = onnxProto as unknown as { onnx?: OnnxNamespace; default?: { onnx?: OnnxNamespace } };
export const onnx = (loaded.onnx ?? loaded.default?.onnx) as OnnxNamespace;
