import { embeddingSizeOf, specOf } from './architecture.js';
import type { BertShape, BertWeights, EncoderLayer, LayerNorm, Linear } from './bert-weights.js';

/** One unpadded `[CLS] a [SEP] b [SEP]` sequence (attention mask all ones). */
export interface TokenSequence {
  inputIds: readonly number[];
  /** Ignored by architectures without token types (XLM-R uses type row 0 throughout). */
  tokenTypeIds: readonly number[];
}

/**
 * A plain float64 BERT forward pass, written independently of the ONNX graph. It picks the
 * classifier's scale and bias (see calibrate-classifier.ts) without a native runtime, and tests
 * compare ONNX Runtime's output against it to prove the graph computes BERT.
 */
export function referencePooled(shape: BertShape, weights: BertWeights, sequence: TokenSequence): Float64Array {
  const { hidden } = shape;
  const spec = specOf(shape);
  const width = embeddingSizeOf(shape);
  const eps = spec.layerNormEps;
  const length = sequence.inputIds.length;
  let x: Float64Array = new Float64Array(length * width);
  for (let t = 0; t < length; t++) {
    const word = sequence.inputIds[t]! * width;
    const type = (spec.tokenTypes ? sequence.tokenTypeIds[t]! : 0) * width;
    // RoBERTa: an unpadded sequence's tokens sit at padding_idx + 1 + t.
    const position = (spec.paddingIdx === undefined ? t : spec.paddingIdx + 1 + t) * width;
    for (let j = 0; j < width; j++) {
      x[t * width + j] =
        weights.wordEmbeddings[word + j]! + weights.tokenTypeEmbeddings[type + j]! + weights.positionEmbeddings[position + j]!;
    }
  }
  layerNormInPlace(x, length, weights.embeddingNorm, eps);
  if (weights.embeddingProjection) x = linear(x, length, weights.embeddingProjection);

  weights.layers.forEach((layer, i) => {
    // Only the first token feeds the head, so the last layer computes that row alone.
    const rows = i === weights.layers.length - 1 ? 1 : length;
    x = encoderLayer(shape, layer, x, length, rows, eps);
  });

  // BERT's pooler and RoBERTa's head: dense + tanh; ELECTRA's head: dense + GELU.
  const pooled = linear(x.subarray(0, hidden), 1, weights.pooler);
  for (let j = 0; j < pooled.length; j++) pooled[j] = spec.headActivation === 'gelu' ? gelu(pooled[j]!) : Math.tanh(pooled[j]!);
  return pooled;
}

/** The classifier's logits for a pooled vector. */
export function referenceLogits(weights: BertWeights, pooled: Float64Array): number[] {
  return Array.from(linear(pooled, 1, weights.classifier));
}

/** Returns the first `rows` rows of the layer's output (all of K and V are still computed). */
function encoderLayer(shape: BertShape, layer: EncoderLayer, x: Float64Array, length: number, rows: number, eps: number): Float64Array {
  const { hidden, heads } = shape;
  const headSize = hidden / heads;
  const scale = 1 / Math.sqrt(headSize);
  const q = linear(x, rows, layer.query);
  const k = linear(x, length, layer.key);
  const v = linear(x, length, layer.value);

  const context = new Float64Array(rows * hidden);
  const scores = new Float64Array(length);
  for (let h = 0; h < heads; h++) {
    const offset = h * headSize;
    for (let t = 0; t < rows; t++) {
      let max = -Infinity;
      for (let s = 0; s < length; s++) {
        let dot = 0;
        for (let d = 0; d < headSize; d++) dot += q[t * hidden + offset + d]! * k[s * hidden + offset + d]!;
        scores[s] = dot * scale;
        if (scores[s]! > max) max = scores[s]!;
      }
      let sum = 0;
      for (let s = 0; s < length; s++) {
        scores[s] = Math.exp(scores[s]! - max);
        sum += scores[s]!;
      }
      for (let s = 0; s < length; s++) {
        const p = scores[s]! / sum;
        for (let d = 0; d < headSize; d++) context[t * hidden + offset + d]! += p * v[s * hidden + offset + d]!;
      }
    }
  }

  const attended = linear(context, rows, layer.attentionOutput);
  for (let i = 0; i < attended.length; i++) attended[i]! += x[i]!;
  layerNormInPlace(attended, rows, layer.attentionNorm, eps);

  const up = linear(attended, rows, layer.intermediate);
  for (let i = 0; i < up.length; i++) up[i] = gelu(up[i]!);
  const out = linear(up, rows, layer.output);
  for (let i = 0; i < out.length; i++) out[i]! += attended[i]!;
  layerNormInPlace(out, rows, layer.outputNorm, eps);
  return out;
}

/**
 * y = x W + b for the first `rows` rows of x (W is `[in, out]`). Four rows share each pass over W,
 * which doubles V8's throughput; calibrating a MiniLM-sized model spends most of its time here.
 */
function linear(x: Float64Array, rows: number, layer: Linear): Float64Array {
  const { inFeatures: n, outFeatures: m, weight, bias } = layer;
  const y = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) y.set(bias, r * m);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const y0 = r * m;
    const y1 = y0 + m;
    const y2 = y1 + m;
    const y3 = y2 + m;
    for (let i = 0; i < n; i++) {
      const a0 = x[r * n + i]!;
      const a1 = x[(r + 1) * n + i]!;
      const a2 = x[(r + 2) * n + i]!;
      const a3 = x[(r + 3) * n + i]!;
      const w0 = i * m;
      for (let o = 0; o < m; o++) {
        const w = weight[w0 + o]!;
        y[y0 + o]! += a0 * w;
        y[y1 + o]! += a1 * w;
        y[y2 + o]! += a2 * w;
        y[y3 + o]! += a3 * w;
      }
    }
  }
  for (; r < rows; r++) {
    const y0 = r * m;
    for (let i = 0; i < n; i++) {
      const a = x[r * n + i]!;
      const w0 = i * m;
      for (let o = 0; o < m; o++) y[y0 + o]! += a * weight[w0 + o]!;
    }
  }
  return y;
}

function layerNormInPlace(x: Float64Array, rows: number, norm: LayerNorm, eps: number): void {
  const width = norm.gamma.length;
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * width, (r + 1) * width);
    let mean = 0;
    for (let j = 0; j < width; j++) mean += row[j]!;
    mean /= width;
    let variance = 0;
    for (let j = 0; j < width; j++) variance += (row[j]! - mean) ** 2;
    variance /= width;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let j = 0; j < width; j++) row[j] = (row[j]! - mean) * inv * norm.gamma[j]! + norm.beta[j]!;
  }
}

function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x * ONE_OVER_SQRT2));
}

const ONE_OVER_SQRT2 = 1 / Math.SQRT2;
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
const TWO_OVER_SQRT_PI = 2 * ONE_OVER_SQRT_PI;

/** erf to about 1e-15: its Taylor series below |x| = 2, the erfc continued fraction above. */
export function erf(x: number): number {
  // No Math.* in the loops: built-in calls are slow inside jest's vm contexts (see prng.ts).
  const ax = x < 0 ? -x : x;
  if (ax < 2) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const next = term / (2 * n + 1);
      sum += next;
      if (next < 1e-17 && next > -1e-17) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  const result = 1 - erfcPositive(ax);
  return x < 0 ? -result : result;
}

/** erfc for x >= 2 by its continued fraction (modified Lentz), which converges quickly there. */
function erfcPositive(x: number): number {
  if (x > 27) return 0;
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d < tiny && d > -tiny ? tiny : d;
    c = x + a / c;
    c = c < tiny && c > -tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (delta - 1 < 1e-16 && delta - 1 > -1e-16) break;
  }
  return (Math.exp(-x * x) * ONE_OVER_SQRT_PI) / f;
}
