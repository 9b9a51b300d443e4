import { deriveSeed, SeededRandom } from './prng.js';

/** A Qwen3 decoder's dimensions (`Qwen3ForCausalLM`, tied embeddings). */
export interface Qwen3Shape {
  layers: number;
  hidden: number;
  /** Query heads. */
  heads: number;
  /** Key/value heads (grouped-query attention); divides `heads`. */
  kvHeads: number;
  headDim: number;
  intermediate: number;
  vocabSize: number;
  maxPositions: number;
  ropeTheta: number;
  rmsEps: number;
}

/** Weight matrices are stored [in, out] row-major (ONNX MatMul's right operand). */
export interface Qwen3Layer {
  inputNorm: Float32Array;
  query: Float32Array;
  key: Float32Array;
  value: Float32Array;
  queryNorm: Float32Array;
  keyNorm: Float32Array;
  output: Float32Array;
  postAttentionNorm: Float32Array;
  gate: Float32Array;
  up: Float32Array;
  down: Float32Array;
}

export interface Qwen3Weights {
  /** [vocab, hidden]; also the LM head (tied). */
  embeddings: Float32Array;
  layers: Qwen3Layer[];
  finalNorm: Float32Array;
}

/** Weights `randomQwen3Weights` makes: the tied embedding table, each layer's matrices and norms, the final norm. */
export function qwen3Parameters(shape: Qwen3Shape): number {
  const { hidden, heads, kvHeads, headDim, intermediate } = shape;
  const layer = hidden * (heads + 2 * kvHeads) * headDim + heads * headDim * hidden + 3 * hidden * intermediate + 2 * hidden + 2 * headDim;
  return shape.vocabSize * hidden + shape.layers * layer + hidden;
}

/**
 * Seeded random Qwen3 weights. Matrices use std 1/sqrt(fan-in) so activations keep unit scale at
 * any width; RMSNorm weights are 1 plus noise (a norm wired to the wrong tensor changes the output).
 */
export function randomQwen3Weights(shape: Qwen3Shape, seed: number): Qwen3Weights {
  const { hidden, heads, kvHeads, headDim, intermediate } = shape;
  const tensor = (name: string, length: number, std: number): Float32Array => new SeededRandom(deriveSeed(seed, name)).bellShaped(length, std);
  const norm = (name: string, width: number): Float32Array => tensor(name, width, 0.1).map((v) => 1 + v);
  const layers: Qwen3Layer[] = [];
  for (let i = 0; i < shape.layers; i++) {
    const p = `model.layers.${i}`;
    layers.push({
      inputNorm: norm(`${p}.input_layernorm.weight`, hidden),
      query: tensor(`${p}.self_attn.q_proj.weight`, hidden * heads * headDim, 1 / Math.sqrt(hidden)),
      key: tensor(`${p}.self_attn.k_proj.weight`, hidden * kvHeads * headDim, 1 / Math.sqrt(hidden)),
      value: tensor(`${p}.self_attn.v_proj.weight`, hidden * kvHeads * headDim, 1 / Math.sqrt(hidden)),
      queryNorm: norm(`${p}.self_attn.q_norm.weight`, headDim),
      keyNorm: norm(`${p}.self_attn.k_norm.weight`, headDim),
      output: tensor(`${p}.self_attn.o_proj.weight`, heads * headDim * hidden, 1 / Math.sqrt(heads * headDim)),
      postAttentionNorm: norm(`${p}.post_attention_layernorm.weight`, hidden),
      gate: tensor(`${p}.mlp.gate_proj.weight`, hidden * intermediate, 1 / Math.sqrt(hidden)),
      up: tensor(`${p}.mlp.up_proj.weight`, hidden * intermediate, 1 / Math.sqrt(hidden)),
      down: tensor(`${p}.mlp.down_proj.weight`, intermediate * hidden, 1 / Math.sqrt(intermediate)),
    });
  }
  return {
    embeddings: tensor('model.embed_tokens.weight', shape.vocabSize * hidden, 1),
    layers,
    finalNorm: norm('model.norm.weight', hidden),
  };
}
