import { InvalidInputError } from '@crossrank/core';
import { isExternal } from './external-data.js';
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
   * Use 7-bit weights (-64..64), like `quantize_dynamic(reduce_range=True)`. Default true: on x86
   * CPUs without VNNI (AVX2 only), ONNX Runtime's u8 x s8 kernels add two u8 x s8 products into a
   * saturating int16 (`vpmaddubsw`), and 255 * 127 * 2 overflows it; with 7-bit weights
   * (255 * 64 * 2 = 32,640) nothing saturates, so scores are the same on every CPU. Measured on an
   * AVX2-only EPYC with full 8-bit weights: Pearson 0.973 against fp32 and logits 1.7 apart on the
   * generated tiny model; 7-bit weights track fp32 within the tests' 0.99 / 0.5 bounds.
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
  /**
   * Write each layer's self-attention as one `QAttention` (com.microsoft) node, as ONNX Runtime's BERT
   * optimizer followed by `quantize_dynamic` does: Q, K and V weights packed into one int8 matrix, the
   * input quantized once, and the score, softmax and context products run inside the op (float)
   * instead of as separate MatMul, Div, Add, Softmax, Transpose and Reshape nodes. Only with the
   * DynamicQuantizeMatMul format, and only where the exporter's attention pattern matches. Default false.
   */
  fuseAttention?: boolean;
  /**
   * Write each residual Add + LayerNorm as one `SkipLayerNormalization` (com.microsoft) node. Default
   * false. The same formula, but not the same bits: onnxruntime-node 1.30's SkipLayerNormalization
   * kernel rounds differently from the LayerNormalization that ORT fuses the unfused pattern into
   * (last-bit differences, at most 1.2e-6 measured), and the next layer's dynamic u8 quantization turns
   * such differences into whole quantization steps. So a q8 graph with this option scores like the
   * unfused one only to about 1e-2 logits, while `fuseAttention` alone gives identical logits.
   */
  fuseSkipLayerNorm?: boolean;
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
    qmax: (options.reduceRange ?? true) ? 64 : 127,
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

  const wantsFusion = (options.fuseAttention || options.fuseSkipLayerNorm) && settings.format === 'DynamicQuantizeMatMul';
  const fusions = wantsFusion ? planFusions(graph, consumers, initializers, options, settings) : [];
  const anchors = new Map(fusions.map((f) => [f.anchor, f]));
  for (const fusion of fusions) {
    for (const node of fusion.absorbed) skip.add(node);
    for (const name of fusion.replacedWeights) replaced.add(name);
    added.push(...fusion.tensors);
    report.matMuls += fusion.replacedWeights.length;
    usesMsDomain = true;
  }

  for (const node of nodes) {
    const fusion = anchors.get(node);
    if (fusion) {
      out.push(...fusion.emit);
      continue;
    }
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

  // Fused subgraphs leave the float attention-mask chain, biases and the like without users.
  const kept = fusions.length > 0 ? withoutDeadNodes(out, graph) : out;
  // A float weight can stay referenced (by a node that excludeNodes kept float): keep it then.
  const referenced = new Set(kept.flatMap((node) => node.input ?? []));
  const dropped = (name: string): boolean => (replaced.has(name) || fusions.length > 0) && !referenced.has(name);

  const opsetImport = [...(model.opsetImport ?? [])];
  if (usesMsDomain && !opsetImport.some((o) => o.domain === MS_DOMAIN)) opsetImport.push({ domain: MS_DOMAIN, version: 1 });

  return {
    model: {
      ...model,
      opsetImport,
      graph: {
        ...graph,
        node: kept,
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
  if (isExternal(tensor)) {
    throw new InvalidInputError(`Tensor ${tensor.name} is stored in external data (a file beside the model), which quantizeModel cannot read. Use quantizeModelFile(path), which reads it.`);
  }
  if (tensor.rawData && tensor.rawData.length > 0) {
    // Copy: rawData's byteOffset need not be 4-byte aligned (and a decoded Buffer may be a view).
    return new Float32Array(new Uint8Array(tensor.rawData).buffer);
  }
  return Float32Array.from(tensor.floatData ?? []);
}

// ---- Fused BERT operators (`fuseAttention`, `fuseSkipLayerNorm`) ----

type Node = OnnxTypes.INodeProto;

/** A subgraph written as one fused node: `emit` goes where `anchor` was, `absorbed` nodes are dropped. */
interface Fusion {
  anchor: Node;
  emit: Node[];
  absorbed: Node[];
  tensors: OnnxTypes.ITensorProto[];
  /** Float weights the fusion stores quantized instead. */
  replacedWeights: string[];
}

interface GraphIndex {
  producer: Map<string, Node>;
  consumers: Map<string, Node[]>;
  initializers: Map<string, OnnxTypes.ITensorProto>;
  inputs: Set<string>;
  order: Map<Node, number>;
}

function planFusions(
  graph: OnnxTypes.IGraphProto,
  consumers: Map<string, Node[]>,
  initializers: Map<string, OnnxTypes.ITensorProto>,
  options: QuantizeOptions,
  settings: { perChannel: boolean; qmax: number; minElements: number; excludeNodes: RegExp | undefined },
): Fusion[] {
  const nodes = graph.node ?? [];
  const g: GraphIndex = {
    producer: new Map(nodes.flatMap((n) => (n.output ?? []).map((o) => [o, n] as const))),
    consumers,
    initializers,
    inputs: new Set((graph.input ?? []).map((i) => i.name as string)),
    order: new Map(nodes.map((n, i) => [n, i])),
  };
  const fusions: Fusion[] = [];
  const castMasks = new Set<string>();
  for (const node of nodes) {
    if (options.fuseAttention && node.opType === 'Softmax') {
      const block = matchAttention(g, node, settings);
      if (block) fusions.push(attentionFusion(g, block, settings, castMasks));
    }
    if (options.fuseSkipLayerNorm && node.opType === 'Add') {
      const fusion = matchSkipLayerNorm(g, node);
      if (fusion) fusions.push(fusion);
    }
  }
  return fusions;
}

const first = (node: Node | undefined): string => (node?.output ?? [])[0] as string;
const producedBy = (g: GraphIndex, name: string | undefined, opType: string): Node | undefined => {
  const node = name === undefined ? undefined : g.producer.get(name);
  return node?.opType === opType ? node : undefined;
};
/** The node that alone consumes `node`'s output, if it is an `opType`. */
const soleUser = (g: GraphIndex, node: Node, opType: string): Node | undefined => {
  const users = g.consumers.get(first(node)) ?? [];
  return users.length === 1 && users[0]!.opType === opType ? users[0] : undefined;
};
const usedOnce = (g: GraphIndex, node: Node): boolean => (g.consumers.get(first(node)) ?? []).length === 1;

function attribute(node: Node, name: string): OnnxTypes.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function scalarValue(g: GraphIndex, name: string | undefined): number | undefined {
  const tensor = name === undefined ? undefined : g.initializers.get(name);
  if (!tensor || tensor.dataType !== TensorType.FLOAT || elementCount(tensor) !== 1) return undefined;
  return floatData(tensor)[0];
}

function int64Values(tensor: OnnxTypes.ITensorProto | undefined): number[] | undefined {
  if (!tensor || tensor.dataType !== TensorType.INT64) return undefined;
  if (tensor.rawData && tensor.rawData.length > 0) return Array.from(new BigInt64Array(new Uint8Array(tensor.rawData).buffer), Number);
  return (tensor.int64Data ?? []).map(toNumber);
}

function isFloatWeight(g: GraphIndex, name: string | undefined, rank: number): boolean {
  const tensor = name === undefined ? undefined : g.initializers.get(name);
  return tensor !== undefined && tensor.dataType === TensorType.FLOAT && (tensor.dims ?? []).length === rank;
}

/** One of Q, K, V: `Transpose(Reshape(Add(MatMul(x, W), b), [0, 0, heads, size]), perm)`. */
interface Projection {
  input: string;
  weight: string;
  bias: string;
  heads: number;
  headSize: number;
  nodes: Node[];
}

function projection(g: GraphIndex, name: string | undefined, perm: number[]): Projection | undefined {
  const transpose = producedBy(g, name, 'Transpose');
  if (!transpose || (attribute(transpose, 'perm')?.ints ?? []).map(toNumber).join() !== perm.join() || !usedOnce(g, transpose)) return undefined;
  const reshape = producedBy(g, transpose.input?.[0], 'Reshape');
  const shape = int64Values(g.initializers.get(reshape?.input?.[1] as string));
  if (!reshape || !usedOnce(g, reshape) || !shape || shape.length !== 4 || shape[0] !== 0 || shape[1] !== 0) return undefined;
  const add = producedBy(g, reshape.input?.[0], 'Add');
  if (!add || !usedOnce(g, add)) return undefined;
  const [left, right] = add.input ?? [];
  const bias = isFloatWeight(g, right, 1) ? right : isFloatWeight(g, left, 1) ? left : undefined;
  const matmul = producedBy(g, bias === right ? left : right, 'MatMul');
  if (!bias || !matmul || !usedOnce(g, matmul) || !isFloatWeight(g, matmul.input?.[1], 2)) return undefined;
  const weight = matmul.input![1]!;
  if ((g.consumers.get(weight) ?? []).length !== 1) return undefined;
  return { input: matmul.input![0]!, weight, bias, heads: shape[2]!, headSize: shape[3]!, nodes: [matmul, add, reshape, transpose] };
}

/** The graph input behind the exporter's extended mask `(1 - mask[:, None, None, :]) * -10000`. */
function maskInput(g: GraphIndex, name: string | undefined): string | undefined {
  const mul = producedBy(g, name, 'Mul');
  const [a, b] = mul?.input ?? [];
  // QAttention's default mask_filter_value is -10000; other constants stay unfused.
  const other = scalarValue(g, b) === -10000 ? a : scalarValue(g, a) === -10000 ? b : undefined;
  const sub = producedBy(g, other, 'Sub');
  if (!sub || scalarValue(g, sub.input?.[0]) !== 1) return undefined;
  let source = producedBy(g, sub.input?.[1], 'Cast')?.input?.[0];
  for (let unsqueeze = producedBy(g, source, 'Unsqueeze'); unsqueeze; unsqueeze = producedBy(g, source, 'Unsqueeze')) source = unsqueeze.input?.[0];
  return source !== undefined && g.inputs.has(source) ? source : undefined;
}

interface AttentionBlock {
  q: Projection;
  k: Projection;
  v: Projection;
  mask: string;
  output: string;
  prefix: string;
  nodes: Node[];
}

/**
 * The PyTorch exporter's BERT self-attention around `softmax`: scores = Q K^T / sqrt(size) + mask,
 * context = softmax(scores) V, merged back to [batch, seq, hidden].
 */
function matchAttention(g: GraphIndex, softmax: Node, settings: { minElements: number; excludeNodes: RegExp | undefined }): AttentionBlock | undefined {
  const masked = producedBy(g, softmax.input?.[0], 'Add');
  if (!masked || !usedOnce(g, masked) || !usedOnce(g, softmax)) return undefined;
  const [left, right] = masked.input ?? [];
  const div = producedBy(g, left, 'Div') ?? producedBy(g, right, 'Div');
  const scores = producedBy(g, div?.input?.[0], 'MatMul');
  if (!div || !scores || !usedOnce(g, div) || !usedOnce(g, scores)) return undefined;
  const q = projection(g, scores.input?.[0], [0, 2, 1, 3]);
  const k = projection(g, scores.input?.[1], [0, 2, 3, 1]);
  const context = soleUser(g, softmax, 'MatMul');
  const v = projection(g, context?.input?.[1], [0, 2, 1, 3]);
  const merge = context && soleUser(g, context, 'Transpose');
  const merged = merge && soleUser(g, merge, 'Reshape');
  const mask = maskInput(g, first(g.producer.get(left as string)) === first(div) ? right : left);
  if (!q || !k || !v || !context || context.input?.[0] !== first(softmax) || !merge || !merged || !mask) return undefined;
  if ((attribute(merge, 'perm')?.ints ?? []).map(toNumber).join() !== '0,2,1,3') return undefined;
  const same = [k, v].every((p) => p.input === q.input && p.heads === q.heads && p.headSize === q.headSize);
  const scale = scalarValue(g, div.input?.[1]);
  if (!same || scale === undefined || Math.abs(scale - Math.sqrt(q.headSize)) > 1e-4 * scale) return undefined;
  const matmuls = [q, k, v].map((p) => p.nodes[0]!);
  if (matmuls.some((m) => settings.excludeNodes?.test(m.name || first(m)))) return undefined;
  if (matmuls.some((m) => elementCount(g.initializers.get(m.input![1]!)!) < settings.minElements)) return undefined;
  const prefix = (softmax.name ?? '').replace(/\/[^/]*$/, '') || first(softmax);
  return { q, k, v, mask, output: first(merged), prefix, nodes: [...q.nodes, ...k.nodes, ...v.nodes, scores, div, masked, softmax, context, merge, merged] };
}

/** QAttention with Q, K, V packed column-wise into one [hidden, 3 * hidden] int8 weight. */
function attentionFusion(g: GraphIndex, block: AttentionBlock, settings: { perChannel: boolean; qmax: number }, castMasks: Set<string>): Fusion {
  const parts = [block.q, block.k, block.v];
  const weights = parts.map((p) => g.initializers.get(p.weight)!);
  const [rows, columns] = (weights[0]!.dims ?? []).map(toNumber) as [number, number];
  const packed = new Float32Array(rows * 3 * columns);
  weights.forEach((w, j) => {
    const data = floatData(w);
    for (let r = 0; r < rows; r++) packed.set(data.subarray(r * columns, (r + 1) * columns), r * 3 * columns + j * columns);
  });
  const bias = new Float32Array(3 * columns);
  parts.forEach((p, j) => bias.set(floatData(g.initializers.get(p.bias)!), j * columns));
  const name = `${block.prefix}/qkv`;
  const q = quantizeSymmetric(floatTensor(`${name}.weight`, [rows, 3 * columns], packed), settings.perChannel, settings.qmax);
  const biasTensor = floatTensor(`${name}.bias`, [3 * columns], bias);
  const mask32 = `${block.mask}_int32`;
  const emit: Node[] = [];
  if (!castMasks.has(block.mask)) {
    castMasks.add(block.mask);
    emit.push({ name: `${block.mask}_Cast_int32`, opType: 'Cast', input: [block.mask], output: [mask32], attribute: [attr.int('to', TensorType.INT32)] });
  }
  const [xq, xScale, xZero] = ['_quantized', '_scale', '_zero_point'].map((s) => `${name}_input${s}`) as [string, string, string];
  emit.push(
    { name: `${name}/DynamicQuantizeLinear`, opType: 'DynamicQuantizeLinear', input: [block.q.input], output: [xq, xScale, xZero] },
    {
      name: `${block.prefix}/QAttention`,
      opType: 'QAttention',
      domain: MS_DOMAIN,
      input: [xq, q.values.name as string, biasTensor.name as string, xScale, q.scale.name as string, mask32, xZero, q.zeroPoint.name as string],
      output: [block.output],
      attribute: [attr.int('num_heads', block.q.heads)],
    },
  );
  const anchor = parts.map((p) => p.nodes[0]!).sort((a, b) => g.order.get(a)! - g.order.get(b)!)[0]!;
  return { anchor, emit, absorbed: block.nodes, tensors: [q.values, q.scale, q.zeroPoint, biasTensor], replacedWeights: parts.map((p) => p.weight) };
}

/**
 * A residual `Add` after a dense layer, followed by the exporter's decomposed LayerNorm (ReduceMean,
 * Sub, Pow, ReduceMean, Add eps, Sqrt, Div, Mul gamma, Add beta), as one SkipLayerNormalization.
 */
function matchSkipLayerNorm(g: GraphIndex, add: Node): Fusion | undefined {
  const [a, b] = add.input ?? [];
  if (!a || !b || g.initializers.has(a) || g.initializers.has(b)) return undefined;
  const dense = (name: string) => {
    const biasAdd = producedBy(g, name, 'Add');
    return (biasAdd?.input ?? []).some((input) => isFloatWeight(g, producedBy(g, input, 'MatMul')?.input?.[1], 2));
  };
  // The embeddings' Add also feeds a LayerNorm, but its position term is broadcast: leave it.
  if (!dense(a) && !dense(b)) return undefined;
  const users = g.consumers.get(first(add)) ?? [];
  const mean = users.find((n) => n.opType === 'ReduceMean');
  const sub = users.find((n) => n.opType === 'Sub' && n.input?.[0] === first(add) && n.input?.[1] === first(mean));
  if (users.length !== 2 || !mean || !sub || (attribute(mean, 'axes')?.ints ?? []).map(toNumber).join() !== '-1') return undefined;
  const subUsers = g.consumers.get(first(sub)) ?? [];
  const pow = subUsers.find((n) => n.opType === 'Pow' && scalarValue(g, n.input?.[1]) === 2);
  const div = subUsers.find((n) => n.opType === 'Div' && n.input?.[0] === first(sub));
  const variance = pow && soleUser(g, pow, 'ReduceMean');
  const stabilised = variance && soleUser(g, variance, 'Add');
  const epsilon = scalarValue(g, stabilised?.input?.[1]);
  const std = stabilised && soleUser(g, stabilised, 'Sqrt');
  const scaled = div && soleUser(g, div, 'Mul');
  const shifted = scaled && soleUser(g, scaled, 'Add');
  if (subUsers.length !== 2 || !pow || !div || !std || epsilon === undefined || !scaled || !shifted || div.input?.[1] !== first(std)) return undefined;
  if (!usedOnce(g, mean) || !usedOnce(g, std)) return undefined;
  const gamma = scaled.input?.[1];
  const beta = shifted.input?.[1];
  if (!isFloatWeight(g, gamma, 1) || !isFloatWeight(g, beta, 1)) return undefined;
  const node: Node = {
    name: `${add.name || first(add)}_SkipLayerNorm`,
    opType: 'SkipLayerNormalization',
    domain: MS_DOMAIN,
    input: [a, b, gamma as string, beta as string],
    output: [first(shifted)],
    attribute: [attr.float('epsilon', epsilon)],
  };
  return { anchor: add, emit: [node], absorbed: [add, mean, sub, pow, variance!, stabilised!, std, div, scaled, shifted], tensors: [], replacedWeights: [] };
}

/** Drops nodes none of whose outputs is used (repeatedly, so whole dead chains go). */
function withoutDeadNodes(nodes: Node[], graph: OnnxTypes.IGraphProto): Node[] {
  const outputs = new Set((graph.output ?? []).map((o) => o.name as string));
  let kept = nodes;
  for (;;) {
    const used = new Set([...outputs, ...kept.flatMap((n) => n.input ?? [])]);
    const next = kept.filter((n) => (n.output ?? []).some((o) => used.has(o)));
    if (next.length === kept.length) return kept;
    kept = next;
  }
}
