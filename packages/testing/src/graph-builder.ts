import { onnx, TensorType, type OnnxTypes } from './onnx-proto.js';

type Attribute = OnnxTypes.IAttributeProto;

export const attr = {
  int: (name: string, i: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
  float: (name: string, f: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f }),
  ints: (name: string, ints: number[]): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints }),
};

export interface NodeExtra {
  /** Operator domain, e.g. `com.microsoft`; the default ONNX domain when absent. */
  domain?: string;
  /** Name for the first output (a graph output must keep its public name). */
  output?: string;
}

export interface ValueInfo {
  name: string;
  elemType: number;
  /** A number is a fixed size, a string a named dynamic dimension. */
  dims: (number | string)[];
}

/** Raw little-endian bytes of a typed array, without copying (every supported host is little-endian). */
export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export function floatTensor(name: string, dims: number[], data: Float32Array): OnnxTypes.ITensorProto {
  return { name, dims, dataType: TensorType.FLOAT, rawData: bytesOf(data) };
}

export function int64Tensor(name: string, dims: number[], values: number[]): OnnxTypes.ITensorProto {
  return { name, dims, dataType: TensorType.INT64, rawData: bytesOf(BigInt64Array.from(values, (v) => BigInt(v))) };
}

export function valueInfo({ name, elemType, dims }: ValueInfo): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/**
 * Collects nodes and initializers in the order they are added, so the serialised model depends only
 * on the build steps (byte-identical output for identical inputs). Names follow the PyTorch exporter's
 * `/module/path/OpType` convention so the graph reads like an exported Hugging Face model.
 */
export class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly constants = new Map<string, string>();
  private readonly names = new Set<string>();

  /** Adds a node and returns its first output's name (`output` overrides the generated name). */
  op(opType: string, name: string, inputs: string[], attributes: Attribute[] = [], extra: NodeExtra = {}): string {
    return this.opMulti(opType, name, inputs, 1, attributes, extra)[0] as string;
  }

  /** Adds a node with `outputs` outputs and returns their names. */
  opMulti(opType: string, name: string, inputs: string[], outputs: number, attributes: Attribute[] = [], extra: NodeExtra = {}): string[] {
    const nodeName = this.unique(name);
    const outputNames = Array.from({ length: outputs }, (_, i) =>
      i === 0 && extra.output !== undefined ? extra.output : `${nodeName}_output_${i}`,
    );
    const node: OnnxTypes.INodeProto = { name: nodeName, opType, input: inputs, output: outputNames, attribute: attributes };
    if (extra.domain !== undefined) node.domain = extra.domain;
    this.nodes.push(node);
    return outputNames;
  }

  /** Adds a named initializer and returns its name. */
  weight(tensor: OnnxTypes.ITensorProto): string {
    const name = tensor.name as string;
    if (this.names.has(name)) throw new Error(`duplicate initializer ${name}`);
    this.names.add(name);
    this.initializers.push(tensor);
    return name;
  }

  /** A scalar float constant, shared between all nodes that use the same value. */
  scalar(value: number): string {
    return this.constant(`float:${value}`, () => floatTensor(`onnx::Constant_f${this.constants.size}`, [], Float32Array.of(value)));
  }

  /** An int64 constant (scalar when `dims` is [], else a 1-D list), shared by value. */
  int64s(values: number[], dims: number[] = [values.length]): string {
    return this.constant(`int64:${dims.join('x')}:${values.join(',')}`, () =>
      int64Tensor(`onnx::Constant_i${this.constants.size}`, dims, values),
    );
  }

  private constant(key: string, make: () => OnnxTypes.ITensorProto): string {
    const existing = this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = this.weight(make());
    this.constants.set(key, name);
    return name;
  }

  private unique(name: string): string {
    let candidate = name;
    for (let i = 1; this.names.has(candidate); i++) candidate = `${name}_${i}`;
    this.names.add(candidate);
    return candidate;
  }
}
