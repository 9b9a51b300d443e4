import { attr, bytesOf, floatTensor } from './graph-builder.js';
import { onnx, TensorType, toNumber, type OnnxTypes } from './onnx-proto.js';

/**
 * Dynamic int8 quantization of an ONNX model, the way ONNX Runtime's `quantize_dynamic` does it
 * (what transformers.js loads for `dtype: 'q8'`): weights are stored as int8, activations are
 * quantized at run time. Kept apart from the model builder so its format can be tuned on its own.
 */
export interface QuantizeOptions {
  /**
   * How a quantized MatMul is written.
   * - `DynamicQuantizeMatMul` (default): ORT's fused contrib op (`com.microsoft`), one node per MatMul.
   * - `MatMulInteger`: standard ONNX ops exactly as `quantize_dynamic` writes them
   *   (DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul); ORT fuses this back at load time.
   */
  format?: 'DynamicQuantizeMatMul' | 'MatMulInteger';
  /** One scale per output column (default) instead of one per weight matrix. */
  perChannel?: boolean;
  /**
   * Use 7-bit weights (-64..64), like `quantize_dynamic(reduce_range=True)`: avoids int16 saturation
   * in u8 x s8 kernels on x86 CPUs without VNNI, at some cost in precision. Default false.
   */
  reduceRange?: boolean;
  /** Also store Gather'd tables (embeddings) as int8 + DequantizeLinear, as `quantize_dynamic` does. Default true. */
  quantizeGather?: boolean;
  /** Fold the bias Add that follows a MatMul into DynamicQuantizeMatMul's bias input. Default true. */
  fuseBias?: boolean;
  /** Weights with fewer elements than this stay float. Default 256. */
  minElements?: number;
  /**
   * MatMul/Gather nodes whose name matches stay float, like `quantize_dynamic(nodes_to_exclude=...)`.
   * In these BERT graphs the FFN down-projection (`/output/dense/MatMul` under `layer.N/output`) adds
   * the most error, since GELU outputs quantize poorly.
   */
  excludeNodes?: RegExp;
}

export interface QuantizeReport {
  matMuls: number;
  gathers: number;
}

const MS_DOMAIN = 'com.microsoft';

/** Returns a quantized copy of `model` (the input is not modified; untouched tensors are shared). */
export function quantizeModel(model: OnnxTypes.IModelProto, options: QuantizeOptions = {}): OnnxTypes.IModelProto {
  return quantizeModelWithReport(model, options).model;
}

/** `quantizeModel` on a serialised model file's bytes (e.g. `onnx/model.onnx`). */
export function quantizeModelBytes(bytes: Uint8Array, options: QuantizeOptions = {}): Uint8Array {
  return onnx.ModelProto.encode(quantizeModel(onnx.ModelProto.decode(bytes), options)).finish();
}

export function quantizeModelWithReport(
  model: OnnxTypes.IModelProto,
  options: QuantizeOptions = {},
): { model: OnnxTypes.IModelProto; report: QuantizeReport } {
  const settings = {
    format: options.format ?? 'DynamicQuantizeMatMul',
    perChannel: options.perChannel ?? true,
    qmax: options.reduceRange ? 64 : 127,
    quantizeGather: options.quantizeGather ?? true,
    fuseBias: options.fuseBias ?? true,
    minElements: options.minElements ?? 256,
    excludeNodes: options.excludeNodes,
  };
  const graph = model.graph;
  if (!graph) throw new Error('model has no graph');

  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name as string, t]));
  const nodes = graph.node ?? [];
  const consumers = new Map<string, OnnxTypes.INodeProto[]>();
  for (const node of nodes) for (const input of node.input ?? []) consumers.set(input, [...(consumers.get(input) ?? []), node]);

  const isQuantizableWeight = (name: string | undefined, rank: number, onlyUse: (n: OnnxTypes.INodeProto) => boolean): boolean => {
    const tensor = name === undefined ? undefined : initializers.get(name);
    if (!tensor || tensor.dataType !== TensorType.FLOAT || (tensor.dims ?? []).length !== rank) return false;
    if (elementCount(tensor) < settings.minElements) return false;
    return (consumers.get(name as string) ?? []).every(onlyUse);
  };

  const added: OnnxTypes.ITensorProto[] = [];
  const replaced = new Set<string>();
  const quantized = new Map<string, QuantizedTensor>();
  const quantizeOnce = (name: string, perChannel: boolean): QuantizedTensor => {
    let q = quantized.get(name);
    if (!q) {
      q = quantizeSymmetric(initializers.get(name)!, perChannel, settings.qmax);
      quantized.set(name, q);
      replaced.add(name);
      added.push(q.values, q.scale, q.zeroPoint);
    }
    return q;
  };

  const out: OnnxTypes.INodeProto[] = [];
  const skip = new Set<OnnxTypes.INodeProto>();
  const report: QuantizeReport = { matMuls: 0, gathers: 0 };
  let usesMsDomain = false;

  for (const node of nodes) {
    if (skip.has(node)) continue;
    const [a, b] = node.input ?? [];
    const output = (node.output ?? [])[0] as string;
    const name = node.name || output;
    if (settings.excludeNodes?.test(name)) {
      out.push(node);
      continue;
    }

    if (node.opType === 'MatMul' && a && isQuantizableWeight(b, 2, (n) => n.opType === 'MatMul' && n.input?.[1] === b)) {
      const q = quantizeOnce(b as string, settings.perChannel);
      report.matMuls++;
      if (settings.format === 'DynamicQuantizeMatMul') {
        usesMsDomain = true;
        const biasAdd = settings.fuseBias ? followingBiasAdd(node, consumers, initializers, q.columns) : undefined;
        const inputs = [a, q.values.name as string, q.scale.name as string, q.zeroPoint.name as string];
        if (biasAdd) {
          skip.add(biasAdd.add);
          inputs.push(biasAdd.bias);
        }
        out.push({
          name: `${name}_quant`,
          opType: 'DynamicQuantizeMatMul',
          domain: MS_DOMAIN,
          input: inputs,
          output: biasAdd ? biasAdd.add.output : node.output,
        });
      } else {
        const [aq, aScale, aZero] = ['_quantized', '_scale', '_zero_point'].map((s) => `${a}${s}_${name}`) as [string, string, string];
        out.push(
          { name: `${name}_QuantizeLinear`, opType: 'DynamicQuantizeLinear', input: [a], output: [aq, aScale, aZero] },
          {
            name: `${name}_quant`,
            opType: 'MatMulInteger',
            input: [aq, q.values.name as string, aZero, q.zeroPoint.name as string],
            output: [`${output}_int32`],
          },
          {
            name: `${name}_output_cast`,
            opType: 'Cast',
            input: [`${output}_int32`],
            output: [`${output}_float`],
            attribute: [attr.int('to', TensorType.FLOAT)],
          },
          { name: `${name}_scales_mul`, opType: 'Mul', input: [aScale, q.scale.name as string], output: [`${output}_scale`] },
          { name: `${name}_output_scale_mul`, opType: 'Mul', input: [`${output}_float`, `${output}_scale`], output: [output] },
        );
      }
      continue;
    }

    if (
      settings.quantizeGather &&
      node.opType === 'Gather' &&
      isQuantizableWeight(a, 2, (n) => n.opType === 'Gather' && n.input?.[0] === a)
    ) {
      // Per-tensor: DequantizeLinear below opset 13 has no axis, and one scale suits an embedding table.
      const q = quantizeOnce(a as string, false);
      report.gathers++;
      out.push(
        { ...node, input: [q.values.name as string, ...(node.input ?? []).slice(1)], output: [`${output}_quantized`] },
        {
          name: `${name}_DequantizeLinear`,
          opType: 'DequantizeLinear',
          input: [`${output}_quantized`, q.scale.name as string, q.zeroPoint.name as string],
          output: [output],
        },
      );
      continue;
    }

    out.push(node);
  }

  // A float weight can stay referenced (by a node that excludeNodes kept float): keep it then.
  const referenced = new Set(out.flatMap((node) => node.input ?? []));
  const dropped = (name: string): boolean => replaced.has(name) && !referenced.has(name);

  const opsetImport = [...(model.opsetImport ?? [])];
  if (usesMsDomain && !opsetImport.some((o) => o.domain === MS_DOMAIN)) opsetImport.push({ domain: MS_DOMAIN, version: 1 });

  return {
    model: {
      ...model,
      opsetImport,
      graph: {
        ...graph,
        node: out,
        initializer: [...(graph.initializer ?? []).filter((t) => !dropped(t.name as string)), ...added],
      },
    },
    report,
  };
}

interface QuantizedTensor {
  values: OnnxTypes.ITensorProto;
  scale: OnnxTypes.ITensorProto;
  zeroPoint: OnnxTypes.ITensorProto;
  columns: number;
}

/**
 * Symmetric int8 (zero point 0), as `quantize_dynamic` does for int8 weights. Per-channel scales
 * are per column of a `[K, N]` MatMul weight, i.e. per output feature.
 */
function quantizeSymmetric(tensor: OnnxTypes.ITensorProto, perChannel: boolean, qmax: number): QuantizedTensor {
  const dims = (tensor.dims ?? []).map(toNumber);
  const [rows, columns] = dims as [number, number];
  const data = floatData(tensor);
  const groups = perChannel ? columns : 1;
  const maxAbs = new Float32Array(groups);
  // Plain comparisons instead of Math.abs/round/min/max: built-in calls are slow inside jest (see prng.ts).
  for (let i = 0; i < data.length; i++) {
    const g = perChannel ? i % columns : 0;
    const v = data[i]! < 0 ? -data[i]! : data[i]!;
    if (v > maxAbs[g]!) maxAbs[g] = v;
  }
  // An all-zero group gets scale 1 so the kernel never divides by zero.
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / qmax : 1));
  const values = new Int8Array(rows * columns);
  for (let i = 0; i < data.length; i++) {
    const scale = scales[perChannel ? i % columns : 0]!;
    const x = data[i]! / scale;
    // Round half away from zero, then clamp (|x| <= qmax already, up to float error).
    const q = x >= 0 ? (x + 0.5) | 0 : -((-x + 0.5) | 0);
    values[i] = q > qmax ? qmax : q < -qmax ? -qmax : q;
  }
  const name = tensor.name as string;
  const groupDims = perChannel ? [columns] : [];
  return {
    values: { name: `${name}_quantized`, dims, dataType: TensorType.INT8, rawData: bytesOf(values) },
    scale: floatTensor(`${name}_scale`, groupDims, scales),
    zeroPoint: { name: `${name}_zero_point`, dims: groupDims, dataType: TensorType.INT8, rawData: new Uint8Array(groups) },
    columns,
  };
}

/** The `Add(matmul_out, bias)` right after a MatMul, when the bias is a constant `[N]` vector. */
function followingBiasAdd(
  matmul: OnnxTypes.INodeProto,
  consumers: Map<string, OnnxTypes.INodeProto[]>,
  initializers: Map<string, OnnxTypes.ITensorProto>,
  columns: number,
): { add: OnnxTypes.INodeProto; bias: string } | undefined {
  const users = consumers.get((matmul.output ?? [])[0] as string) ?? [];
  if (users.length !== 1 || users[0]!.opType !== 'Add') return undefined;
  const add = users[0]!;
  const [left, right] = add.input ?? [];
  const bias = left === matmul.output?.[0] ? right : left;
  const tensor = bias === undefined ? undefined : initializers.get(bias);
  if (!tensor || tensor.dataType !== TensorType.FLOAT) return undefined;
  const dims = (tensor.dims ?? []).map(toNumber);
  if (dims.length !== 1 || dims[0] !== columns) return undefined;
  return { add, bias: bias as string };
}

function elementCount(tensor: OnnxTypes.ITensorProto): number {
  return (tensor.dims ?? []).map(toNumber).reduce((a, b) => a * b, 1);
}

function floatData(tensor: OnnxTypes.ITensorProto): Float32Array {
  if (tensor.rawData && tensor.rawData.length > 0) {
    // Copy: rawData's byteOffset need not be 4-byte aligned (and a decoded Buffer may be a view).
    return new Float32Array(new Uint8Array(tensor.rawData).buffer);
  }
  return Float32Array.from(tensor.floatData ?? []);
}
