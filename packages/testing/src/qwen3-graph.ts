import { attr, floatTensor, GraphBuilder, valueInfo } from './graph-builder.js';
import { TensorType, type OnnxTypes } from './onnx-proto.js';
import type { Qwen3Shape, Qwen3Weights } from './qwen3-weights.js';

const OPSET = 17;
const IR_VERSION = 8;
/** Added to masked attention scores: float32's lowest value, as transformers masks (finite, so a fully masked pad row stays NaN-free). */
const MASK_MIN = -3.4028234663852886e38;

/**
 * `Qwen3ForCausalLM` in the layout of the hub's decoder exports (optimum / onnx-community): inputs
 * `input_ids`, `attention_mask` [batch, past + sequence], `position_ids`, and
 * `past_key_values.N.key/value` [batch, kv heads, past, head dim]; outputs `logits`
 * [batch, sequence, vocabulary] and `present.N.key/value`. Built from plain ONNX operators (RMSNorm
 * as Pow/ReduceMean/Sqrt/Div, rotary embedding as Cos/Sin of position x inverse frequency).
 */
export function buildQwen3Model(shape: Qwen3Shape, weights: Qwen3Weights): OnnxTypes.IModelProto {
  const g = new GraphBuilder();
  const { hidden, heads, kvHeads, headDim, intermediate } = shape;
  const half = headDim / 2;
  const embeddings = g.weight(floatTensor('model.embed_tokens.weight', [shape.vocabSize, hidden], weights.embeddings));
  let x = g.op('Gather', '/model/embed_tokens/Gather', [embeddings, 'input_ids']);

  // Rotary tables: angle = position x theta^(-2i/d), duplicated for the two halves; [batch, 1, seq, d].
  const inverse = g.weight(floatTensor('model.rotary_emb.inv_freq', [half], Float32Array.from({ length: half }, (_, i) => 1 / Math.pow(shape.ropeTheta, (2 * i) / headDim))));
  const positions = g.op('Cast', '/model/rotary_emb/Cast', ['position_ids'], [attr.int('to', TensorType.FLOAT)]);
  const column = g.op('Unsqueeze', '/model/rotary_emb/Unsqueeze', [positions, g.int64s([2])]);
  const freqs = g.op('Mul', '/model/rotary_emb/Mul', [column, inverse]);
  const angles = g.op('Concat', '/model/rotary_emb/Concat', [freqs, freqs], [attr.int('axis', -1)]);
  const cos = g.op('Unsqueeze', '/model/rotary_emb/Unsqueeze_1', [g.op('Cos', '/model/rotary_emb/Cos', [angles]), g.int64s([1])]);
  const sin = g.op('Unsqueeze', '/model/rotary_emb/Unsqueeze_2', [g.op('Sin', '/model/rotary_emb/Sin', [angles]), g.int64s([1])]);

  // Additive mask [batch, 1, seq, past + seq]: key j is visible from query i when j <= past + i and mask[j] = 1.
  const total = g.op('Gather', '/model/mask/Gather', [g.op('Shape', '/model/mask/Shape', ['attention_mask']), g.int64s([1], [])], [attr.int('axis', 0)]);
  const length = g.op('Gather', '/model/mask/Gather_1', [g.op('Shape', '/model/mask/Shape_1', ['input_ids']), g.int64s([1], [])], [attr.int('axis', 0)]);
  const past = g.op('Sub', '/model/mask/Sub', [total, length]);
  const zero = g.int64s([0], []);
  const one = g.int64s([1], []);
  const queries = g.op('Add', '/model/mask/Add', [g.op('Range', '/model/mask/Range', [zero, length, one]), past]);
  const keys = g.op('Range', '/model/mask/Range_1', [zero, total, one]);
  const causal = g.op('LessOrEqual', '/model/mask/LessOrEqual', [
    g.op('Unsqueeze', '/model/mask/Unsqueeze', [keys, g.int64s([0])]),
    g.op('Unsqueeze', '/model/mask/Unsqueeze_1', [queries, g.int64s([1])]),
  ]);
  const real = g.op('Unsqueeze', '/model/mask/Unsqueeze_2', [g.op('Cast', '/model/mask/Cast', ['attention_mask'], [attr.int('to', TensorType.BOOL)]), g.int64s([1, 2])]);
  const visible = g.op('And', '/model/mask/And', [causal, real]);
  const mask = g.op('Where', '/model/mask/Where', [visible, g.scalar(0), g.scalar(MASK_MIN)]);

  const scale = g.scalar(1 / Math.sqrt(headDim));
  const presentNames: string[] = [];
  weights.layers.forEach((layer, i) => {
    const p = `/model/layers.${i}`;
    const w = `model.layers.${i}`;
    const normed = rmsNorm(g, `${p}/input_layernorm`, x, g.weight(floatTensor(`${w}.input_layernorm.weight`, [hidden], layer.inputNorm)), shape.rmsEps);
    const project = (name: string, count: number, data: Float32Array, norm?: Float32Array): string => {
      const projected = g.op('MatMul', `${p}/self_attn/${name}/MatMul`, [normed, g.weight(floatTensor(`${w}.self_attn.${name}.weight`, [hidden, count * headDim], data))]);
      let split = g.op('Reshape', `${p}/self_attn/${name}/Reshape`, [projected, g.int64s([0, 0, count, headDim])]);
      if (norm) split = rmsNorm(g, `${p}/self_attn/${name}_norm`, split, g.weight(floatTensor(`${w}.self_attn.${name.replace('_proj', '')}_norm.weight`, [headDim], norm)), shape.rmsEps);
      return g.op('Transpose', `${p}/self_attn/${name}/Transpose`, [split], [attr.ints('perm', [0, 2, 1, 3])]);
    };
    const rotate = (name: string, value: string): string => {
      const first = g.op('Slice', `${p}/self_attn/${name}/Slice`, [value, g.int64s([0]), g.int64s([half]), g.int64s([3])]);
      const second = g.op('Slice', `${p}/self_attn/${name}/Slice_1`, [value, g.int64s([half]), g.int64s([headDim]), g.int64s([3])]);
      const rotated = g.op('Concat', `${p}/self_attn/${name}/Concat`, [g.op('Neg', `${p}/self_attn/${name}/Neg`, [second]), first], [attr.int('axis', 3)]);
      return g.op('Add', `${p}/self_attn/${name}/Add`, [
        g.op('Mul', `${p}/self_attn/${name}/Mul`, [value, cos]),
        g.op('Mul', `${p}/self_attn/${name}/Mul_1`, [rotated, sin]),
      ]);
    };
    const q = rotate('q_rotary', project('q_proj', heads, layer.query, layer.queryNorm));
    const k = rotate('k_rotary', project('k_proj', kvHeads, layer.key, layer.keyNorm));
    const v = project('v_proj', kvHeads, layer.value);
    const presentKey = g.op('Concat', `${p}/self_attn/Concat_key`, [`past_key_values.${i}.key`, k], [attr.int('axis', 2)], { output: `present.${i}.key` });
    const presentValue = g.op('Concat', `${p}/self_attn/Concat_value`, [`past_key_values.${i}.value`, v], [attr.int('axis', 2)], { output: `present.${i}.value` });
    presentNames.push(presentKey, presentValue);
    // Grouped-query attention: each key/value head serves heads / kvHeads query heads (repeat_kv).
    const repeat = (name: string, value: string): string => {
      if (heads === kvHeads) return value;
      const unsqueezed = g.op('Unsqueeze', `${p}/self_attn/${name}/Unsqueeze`, [value, g.int64s([2])]);
      const copies = g.op('Concat', `${p}/self_attn/${name}/Concat`, Array.from({ length: heads / kvHeads }, () => unsqueezed), [attr.int('axis', 2)]);
      return g.op('Reshape', `${p}/self_attn/${name}/Reshape`, [copies, g.int64s([0, heads, -1, headDim])]);
    };
    const keysAll = repeat('repeat_key', presentKey);
    const valuesAll = repeat('repeat_value', presentValue);
    const scores = g.op('MatMul', `${p}/self_attn/MatMul`, [q, g.op('Transpose', `${p}/self_attn/Transpose`, [keysAll], [attr.ints('perm', [0, 1, 3, 2])])]);
    const masked = g.op('Add', `${p}/self_attn/Add`, [g.op('Mul', `${p}/self_attn/Mul`, [scores, scale]), mask]);
    const probs = g.op('Softmax', `${p}/self_attn/Softmax`, [masked], [attr.int('axis', -1)]);
    const context = g.op('MatMul', `${p}/self_attn/MatMul_1`, [probs, valuesAll]);
    const merged = g.op('Reshape', `${p}/self_attn/Reshape`, [g.op('Transpose', `${p}/self_attn/Transpose_1`, [context], [attr.ints('perm', [0, 2, 1, 3])]), g.int64s([0, 0, heads * headDim])]);
    const attended = g.op('MatMul', `${p}/self_attn/o_proj/MatMul`, [merged, g.weight(floatTensor(`${w}.self_attn.o_proj.weight`, [heads * headDim, hidden], layer.output))]);
    const residual = g.op('Add', `${p}/Add`, [x, attended]);

    const normed2 = rmsNorm(g, `${p}/post_attention_layernorm`, residual, g.weight(floatTensor(`${w}.post_attention_layernorm.weight`, [hidden], layer.postAttentionNorm)), shape.rmsEps);
    const gate = g.op('MatMul', `${p}/mlp/gate_proj/MatMul`, [normed2, g.weight(floatTensor(`${w}.mlp.gate_proj.weight`, [hidden, intermediate], layer.gate))]);
    const up = g.op('MatMul', `${p}/mlp/up_proj/MatMul`, [normed2, g.weight(floatTensor(`${w}.mlp.up_proj.weight`, [hidden, intermediate], layer.up))]);
    const silu = g.op('Mul', `${p}/mlp/act_fn/Mul`, [gate, g.op('Sigmoid', `${p}/mlp/act_fn/Sigmoid`, [gate])]);
    const down = g.op('MatMul', `${p}/mlp/down_proj/MatMul`, [g.op('Mul', `${p}/mlp/Mul`, [silu, up]), g.weight(floatTensor(`${w}.mlp.down_proj.weight`, [intermediate, hidden], layer.down))]);
    x = g.op('Add', `${p}/Add_1`, [residual, down]);
  });
  const final = rmsNorm(g, '/model/norm', x, g.weight(floatTensor('model.norm.weight', [hidden], weights.finalNorm)), shape.rmsEps);
  // Tied LM head: the embedding table, transposed (ONNX Runtime folds the Transpose at load).
  const head = g.op('Transpose', '/lm_head/Transpose', [embeddings], [attr.ints('perm', [1, 0])]);
  g.op('MatMul', '/lm_head/MatMul', [final, head], [], { output: 'logits' });

  const kv = (name: string) => valueInfo({ name, elemType: TensorType.FLOAT, dims: ['batch_size', kvHeads, name.startsWith('past') ? 'past_sequence_length' : 'total_sequence_length', headDim] });
  const inputs = [
    valueInfo({ name: 'input_ids', elemType: TensorType.INT64, dims: ['batch_size', 'sequence_length'] }),
    valueInfo({ name: 'attention_mask', elemType: TensorType.INT64, dims: ['batch_size', 'total_sequence_length'] }),
    valueInfo({ name: 'position_ids', elemType: TensorType.INT64, dims: ['batch_size', 'sequence_length'] }),
    ...weights.layers.flatMap((_, i) => [kv(`past_key_values.${i}.key`), kv(`past_key_values.${i}.value`)]),
  ];
  const outputs = [valueInfo({ name: 'logits', elemType: TensorType.FLOAT, dims: ['batch_size', 'sequence_length', shape.vocabSize] }), ...presentNames.map(kv)];
  return {
    irVersion: IR_VERSION,
    producerName: 'crossrank-testing',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: { name: 'main_graph', node: g.nodes, initializer: g.initializers, input: inputs, output: outputs },
  };
}

/** Qwen3RMSNorm: x / sqrt(mean(x^2) + eps) * weight, over the last axis. */
function rmsNorm(g: GraphBuilder, name: string, x: string, weight: string, eps: number): string {
  const squared = g.op('Pow', `${name}/Pow`, [x, g.scalar(2)]);
  const mean = g.op('ReduceMean', `${name}/ReduceMean`, [squared], [attr.ints('axes', [-1]), attr.int('keepdims', 1)]);
  const root = g.op('Sqrt', `${name}/Sqrt`, [g.op('Add', `${name}/Add`, [mean, g.scalar(eps)])]);
  return g.op('Mul', `${name}/Mul`, [g.op('Div', `${name}/Div`, [x, root]), weight]);
}
