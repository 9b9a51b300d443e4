import { embeddingSizeOf, positionRows, specOf, vocabSizeOf, type TestArchitecture } from './architecture.js';
import { deriveSeed, SeededRandom } from './prng.js';

/** The real ms-marco-MiniLM-L-6-v2 tokenizer's vocabulary; every test model shares it. */
export const VOCAB_SIZE = 30522;
export const TYPE_VOCAB_SIZE = 2;
export const LAYER_NORM_EPS = 1e-12;
/** BERT's additive attention-mask value; ONNX Runtime's attention fusion matches exactly this constant. */
export const MASK_NEGATIVE = -10000;

/** Std of the attention scores q.k/sqrt(d): peaked enough that attention depends on the tokens. */
const ATTENTION_SCORE_STD = 2;

export interface BertShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  /** Tokens a sequence may hold (RoBERTa's table has two more rows, see `positionRows`). */
  maxPositions: number;
  numLabels: 1 | 2;
  /** Default 'bert'. */
  architecture?: TestArchitecture;
  /** Width of the embedding tables; ELECTRA projects them up to `hidden` when it differs. Default `hidden`. */
  embeddingSize?: number;
  /** Rows of the word embedding table. Default VOCAB_SIZE (BERT uncased). */
  vocabSize?: number;
}

/** A dense layer stored as ONNX MatMul wants it: `weight` is `[in, out]` row-major. */
export interface Linear {
  weight: Float32Array;
  bias: Float32Array;
  inFeatures: number;
  outFeatures: number;
}

export interface LayerNorm {
  gamma: Float32Array;
  beta: Float32Array;
}

export interface EncoderLayer {
  query: Linear;
  key: Linear;
  value: Linear;
  attentionOutput: Linear;
  attentionNorm: LayerNorm;
  intermediate: Linear;
  output: Linear;
  outputNorm: LayerNorm;
}

export interface BertWeights {
  wordEmbeddings: Float32Array; // [vocab, embedding]
  positionEmbeddings: Float32Array; // [positionRows, embedding]
  tokenTypeEmbeddings: Float32Array; // [typeVocab, embedding]
  embeddingNorm: LayerNorm;
  /** ELECTRA's embeddings_project (embedding -> hidden), present when the widths differ. */
  embeddingProjection?: Linear;
  layers: EncoderLayer[];
  /** BERT's pooler, or the first dense layer of ELECTRA's / RoBERTa's classification head. */
  pooler: Linear;
  /** BERT's classifier, or the head's out_proj. */
  classifier: Linear;
}

/**
 * Random BERT weights. BERT's own init (std 0.02 everywhere) leaves every layer close to the identity
 * at small widths, so the [CLS] state, and with it the logit, barely depends on the input. Here each
 * matrix's std is instead set from its fan-in so activations keep unit scale and attention is peaked
 * enough to mix tokens: at MiniLM width (384) that is 0.04-0.07, close to BERT's 0.02 anyway.
 * Biases are small but non-zero so a mis-wired bias changes the output. LayerNorm is gamma 1, beta 0.
 * The classifier is a placeholder here: `calibrateClassifier` replaces it.
 */
export function randomBertWeights(shape: BertShape, seed: number): BertWeights {
  const { hidden, intermediate } = shape;
  const tensor = (name: string, length: number, std: number): Float32Array =>
    new SeededRandom(deriveSeed(seed, name)).bellShaped(length, std);
  const linear = (name: string, inFeatures: number, outFeatures: number, std: number): Linear => ({
    weight: tensor(`${name}.weight`, inFeatures * outFeatures, std),
    bias: tensor(`${name}.bias`, outFeatures, 0.02),
    inFeatures,
    outFeatures,
  });
  const layerNorm = (width = hidden): LayerNorm => ({ gamma: new Float32Array(width).fill(1), beta: new Float32Array(width) });
  const embedding = embeddingSizeOf(shape);

  // Attention scores q.k/sqrt(d) then have a std of about ATTENTION_SCORE_STD.
  const qkStd = Math.sqrt(ATTENTION_SCORE_STD / hidden);
  const unitStd = 1 / Math.sqrt(hidden);
  // GELU keeps roughly half of its input's second moment, so the down-projection compensates.
  const downStd = Math.sqrt(2 / intermediate);

  const layers: EncoderLayer[] = [];
  for (let i = 0; i < shape.layers; i++) {
    const p = `encoder.layer.${i}`;
    layers.push({
      query: linear(`${p}.attention.self.query`, hidden, hidden, qkStd),
      key: linear(`${p}.attention.self.key`, hidden, hidden, qkStd),
      value: linear(`${p}.attention.self.value`, hidden, hidden, unitStd),
      attentionOutput: linear(`${p}.attention.output.dense`, hidden, hidden, unitStd),
      attentionNorm: layerNorm(),
      intermediate: linear(`${p}.intermediate.dense`, hidden, intermediate, unitStd),
      output: linear(`${p}.output.dense`, intermediate, hidden, downStd),
      outputNorm: layerNorm(),
    });
  }

  const wordEmbeddings = tensor('embeddings.word_embeddings.weight', vocabSizeOf(shape) * embedding, 0.02);
  const positionEmbeddings = tensor('embeddings.position_embeddings.weight', positionRows(shape) * embedding, 0.02);
  const tokenTypeEmbeddings = tensor('embeddings.token_type_embeddings.weight', specOf(shape).typeVocabSize * embedding, 0.02);

  return {
    wordEmbeddings,
    positionEmbeddings,
    tokenTypeEmbeddings,
    embeddingNorm: layerNorm(embedding),
    ...(embedding !== hidden ? { embeddingProjection: linear('embeddings_project', embedding, hidden, 1 / Math.sqrt(embedding)) } : {}),
    layers,
    pooler: linear('pooler.dense', hidden, hidden, unitStd),
    classifier: {
      weight: new Float32Array(hidden * shape.numLabels),
      bias: new Float32Array(shape.numLabels),
      inFeatures: hidden,
      outFeatures: shape.numLabels,
    },
  };
}
