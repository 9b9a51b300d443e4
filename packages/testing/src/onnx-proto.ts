import * as onnxProtoModule from 'onnx-proto';

/**
 * `onnx-proto` is a CommonJS module that assigns `module.exports = $root`, which Node's ESM loader
 * cannot see named exports in: `import { onnx }` works under ts-jest and in the CJS build but is
 * undefined in the ESM build. Reading it off the namespace or its `default` works in all three.
 */
type OnnxNamespace = typeof onnxProtoModule.onnx;
const loaded = onnxProtoModule as unknown as { onnx?: OnnxNamespace; default?: { onnx?: OnnxNamespace } };
export const onnx: OnnxNamespace = (loaded.onnx ?? loaded.default?.onnx) as OnnxNamespace;

export type { onnx as OnnxTypes } from 'onnx-proto';

export const TensorType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
} as const;

/** protobufjs decodes int64 fields as `Long` when the `long` package is present, numbers otherwise. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
