import { InvalidInputError } from '@crossrank/core';
import { readFile, writeFile } from 'node:fs/promises';
import { int64Tensor } from './graph-builder.js';
import { onnx, type OnnxTypes } from './onnx-proto.js';

/**
 * A causal LM exported for generation (the hub's decoder layout) returns logits for every position
 * and the whole vocabulary: for Qwen3's 151,669 tokens, the LM head is about a quarter of the
 * forward pass's multiply-adds, and 606 KB of output per token. A reranker reads one position (the
 * last: batches are left-padded) and two of those columns. This rewrite takes the last position of
 * the hidden states just before the node that computes `logits`, so the LM head runs once per row and
 * `logits` becomes [batch, vocabulary], a form `CrossEncoder` reads as the last position's logits.
 *
 * Keeping only the true/false rows of the LM head as well would save well under 1% more at
 * Qwen3-Reranker-0.6B's shape (one row's head against a hundred-odd tokens through 28 layers) and
 * would need a new output contract (which column is which token), so it is not done.
 */
export function keepLastPosition(model: OnnxTypes.IModelProto): OnnxTypes.IModelProto {
  const graph = model.graph;
  const nodes = graph?.node ?? [];
  const head = nodes.find((n) => (n.output ?? []).includes('logits'));
  const output = (graph?.output ?? []).find((o) => o.name === 'logits');
  const dims = output?.type?.tensorType?.shape?.dim ?? [];
  if (!graph || !head || !output || dims.length !== 3) {
    throw new InvalidInputError('keepLastPosition needs a causal LM whose graph output "logits" is [batch, sequence, vocabulary] (a text-generation export).');
  }
  const hidden = (head.input ?? [])[0] as string;
  const index = 'crossrank_last_position_index';
  const last = `${hidden}_last_position`;
  const gather: OnnxTypes.INodeProto = { name: '/crossrank/last_position/Gather', opType: 'Gather', input: [hidden, index], output: [last], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] };
  const rewired: OnnxTypes.INodeProto = { ...head, input: [last, ...(head.input ?? []).slice(1)] };
  return {
    ...model,
    graph: {
      ...graph,
      node: nodes.flatMap((n) => (n === head ? [gather, rewired] : [n])),
      // A scalar index drops the sequence axis: [batch, sequence, hidden] -> [batch, hidden].
      initializer: [...(graph.initializer ?? []), int64Tensor(index, [], [-1])],
      output: (graph.output ?? []).map((o) =>
        o === output ? { ...o, type: { tensorType: { ...o.type!.tensorType, shape: { dim: [dims[0]!, dims[2]!] } } } } : o,
      ),
    },
  };
}

/**
 * `keepLastPosition` on an ONNX file, written to `output`. Only the graph is rewritten: weights kept
 * in external data (`model.onnx_data`) are referenced by name, so write `output` into the same folder.
 */
export async function keepLastPositionFile(input: string, output: string): Promise<void> {
  await writeFile(output, onnx.ModelProto.encode(keepLastPosition(onnx.ModelProto.decode(await readFile(input)))).finish());
}
