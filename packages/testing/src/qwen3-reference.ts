import type { Qwen3Layer, Qwen3Shape, Qwen3Weights } from './qwen3-weights.js';

/**
 * A plain float64 Qwen3 forward pass over one unpadded sequence (positions 0..n-1), written
 * independently of the ONNX graph: tests compare ONNX Runtime's logits against it to prove the
 * graph computes Qwen3. Returns the last position's logits for `ids` (all of the vocabulary when omitted).
 */
export function referenceLastLogits(shape: Qwen3Shape, weights: Qwen3Weights, inputIds: readonly number[], ids?: readonly number[]): Float64Array {
  const { hidden } = shape;
  const n = inputIds.length;
  let x: Float64Array = new Float64Array(n * hidden);
  for (let t = 0; t < n; t++) for (let j = 0; j < hidden; j++) x[t * hidden + j] = weights.embeddings[inputIds[t]! * hidden + j]!;
  for (const layer of weights.layers) x = decoderLayer(shape, layer, x, n);
  const last = rmsNorm(x.subarray((n - 1) * hidden, n * hidden), 1, hidden, weights.finalNorm, shape.rmsEps);
  const wanted = ids ?? Array.from({ length: shape.vocabSize }, (_, i) => i);
  return Float64Array.from(wanted, (id) => {
    let dot = 0;
    for (let j = 0; j < hidden; j++) dot += last[j]! * weights.embeddings[id * hidden + j]!;
    return dot;
  });
}

function decoderLayer(shape: Qwen3Shape, layer: Qwen3Layer, x: Float64Array, n: number): Float64Array {
  const { hidden, heads, kvHeads, headDim, intermediate } = shape;
  const h = rmsNorm(x, n, hidden, layer.inputNorm, shape.rmsEps);
  const q = rotary(shape, rmsNorm(matmul(h, n, hidden, layer.query, heads * headDim), n * heads, headDim, layer.queryNorm, shape.rmsEps), n, heads);
  const k = rotary(shape, rmsNorm(matmul(h, n, hidden, layer.key, kvHeads * headDim), n * kvHeads, headDim, layer.keyNorm, shape.rmsEps), n, kvHeads);
  const v = matmul(h, n, hidden, layer.value, kvHeads * headDim);
  const context = new Float64Array(n * heads * headDim);
  const scores = new Float64Array(n);
  const group = heads / kvHeads;
  for (let head = 0; head < heads; head++) {
    const kv = Math.floor(head / group);
    for (let t = 0; t < n; t++) {
      let max = -Infinity;
      // Causal: position t sees 0..t.
      for (let s = 0; s <= t; s++) {
        let dot = 0;
        for (let d = 0; d < headDim; d++) dot += q[(t * heads + head) * headDim + d]! * k[(s * kvHeads + kv) * headDim + d]!;
        scores[s] = dot / Math.sqrt(headDim);
        if (scores[s]! > max) max = scores[s]!;
      }
      let sum = 0;
      for (let s = 0; s <= t; s++) sum += scores[s] = Math.exp(scores[s]! - max);
      for (let s = 0; s <= t; s++) {
        const p = scores[s]! / sum;
        for (let d = 0; d < headDim; d++) context[(t * heads + head) * headDim + d]! += p * v[(s * kvHeads + kv) * headDim + d]!;
      }
    }
  }
  const attended = matmul(context, n, heads * headDim, layer.output, hidden);
  const residual = x.map((value, i) => value + attended[i]!);
  const h2 = rmsNorm(residual, n, hidden, layer.postAttentionNorm, shape.rmsEps);
  const gate = matmul(h2, n, hidden, layer.gate, intermediate);
  const up = matmul(h2, n, hidden, layer.up, intermediate);
  const activated = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]!);
  const down = matmul(activated, n, intermediate, layer.down, hidden);
  return residual.map((value, i) => value + down[i]!);
}

/** Rotary embedding (rotate-half form) on `rows` positions of `heads` vectors each, position = row index. */
function rotary(shape: Qwen3Shape, x: Float64Array, rows: number, heads: number): Float64Array {
  const { headDim } = shape;
  const half = headDim / 2;
  const out = new Float64Array(x.length);
  for (let t = 0; t < rows; t++) {
    for (let i = 0; i < half; i++) {
      const angle = t / Math.pow(shape.ropeTheta, (2 * i) / headDim);
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      for (let h = 0; h < heads; h++) {
        const base = (t * heads + h) * headDim;
        const a = x[base + i]!;
        const b = x[base + half + i]!;
        out[base + i] = a * cos - b * sin;
        out[base + half + i] = b * cos + a * sin;
      }
    }
  }
  return out;
}

function rmsNorm(x: Float64Array, rows: number, width: number, weight: Float32Array, eps: number): Float64Array {
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < width; j++) sum += x[r * width + j]! ** 2;
    const scale = 1 / Math.sqrt(sum / width + eps);
    for (let j = 0; j < width; j++) out[r * width + j] = x[r * width + j]! * scale * weight[j]!;
  }
  return out;
}

/** x [rows, inner] times w [inner, outer] (row-major). */
function matmul(x: Float64Array, rows: number, inner: number, w: Float32Array, outer: number): Float64Array {
  const out = new Float64Array(rows * outer);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inner; i++) {
      const value = x[r * inner + i]!;
      if (value === 0) continue;
      for (let o = 0; o < outer; o++) out[r * outer + o]! += value * w[i * outer + o]!;
    }
  }
  return out;
}
