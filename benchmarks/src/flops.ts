/** The sizes of a BERT encoder that its FLOP count depends on. */
export interface BertDims {
  layers: number;
  hidden: number;
  intermediate: number;
}

/**
 * Useful work of one (query, document) pair of `length` tokens, padding excluded. Per token and
 * layer: the Q, K, V and output projections (4 * h * h multiply-adds), the feed-forward pair
 * (2 * h * ffn) and the two attention products against the `length` tokens of its own pair
 * (QK^T and PV, 2 * length * h); 2 FLOPs per multiply-add. Embeddings, layer norms, softmax, GELU,
 * pooler and classifier are left out (under 1% here).
 */
export function pairFlops(dims: BertDims, length: number): number {
  const { layers, hidden: h, intermediate: ffn } = dims;
  return layers * length * (2 * (4 * h * h + 2 * h * ffn) + 2 * 2 * length * h);
}

export const FLOPS_FORMULA =
  'FLOPs(pair of L tokens) = layers * L * (2*(4*h*h + 2*h*ffn) + 2*2*L*h); padding excluded; embeddings, norms, softmax, GELU, pooler and classifier left out';

/** Reads the dimensions from a Hugging Face BERT `config.json`. */
export function bertDims(config: Record<string, unknown>): BertDims {
  const read = (key: string): number => {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`config.json has no usable "${key}" (got ${JSON.stringify(value)}); the FLOP count needs a BERT config.`);
    }
    return value;
  };
  return { layers: read('num_hidden_layers'), hidden: read('hidden_size'), intermediate: read('intermediate_size') };
}

/** FLOPs of an n x n by n x n MatMul. */
export function matMulFlops(n: number): number {
  return 2 * n * n * n;
}
