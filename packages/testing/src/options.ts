import { resolve } from 'node:path';
import { checkKnownKeys, InvalidInputError } from '@crossrank/core';
import { TEST_ARCHITECTURES, type TestArchitecture } from './architecture.js';
import type { BertShape } from './bert-weights.js';
import { QWEN2_STYLE_VOCAB } from './qwen3-folder.js';
import { INLINE_LIMIT_BYTES } from './external-data.js';
import { qwen3Parameters, type Qwen3Shape } from './qwen3-weights.js';

export interface TestCrossEncoderOptions {
  /** Output folder (created). It becomes a Hugging Face model folder. */
  dir: string;
  /**
   * 'bert' (default): BertForSequenceClassification with the ms-marco-MiniLM-L-6-v2 tokenizer.
   * 'electra': ElectraForSequenceClassification (ELECTRA's head; same tokenizer, as ms-marco-electra-base).
   * 'xlm-roberta': XLMRobertaForSequenceClassification (bge-reranker's architecture: no token_type_ids,
   * positions counted from pad id 1) with a SentencePiece tokenizer built from t5-small's.
   * 'qwen3': a causal-LM reranker in Qwen3-Reranker's design (`Qwen3ForCausalLM` read as a yes/no judge,
   * saved as sentence-transformers saves it, ONNX in the hub's decoder layout) with a Qwen2-style
   * byte-level BPE tokenizer (`numLabels` does not apply).
   */
  architecture?: TestArchitecture | 'qwen3';
  /** 'qwen3' only: key/value heads (grouped-query attention). Default `heads / 2` (or `heads` when odd). */
  kvHeads?: number;
  /** 'qwen3' only: size of each attention head. Default `hidden / heads` (Qwen3-0.6B: 128 with hidden 1024). */
  headDim?: number;
  /** 'qwen3' only: rows of the embedding table and LM head; at least the tokenizer's 50,270. Default 50,270 (Qwen3: 151,669). */
  vocabSize?: number;
  /** ELECTRA only: embedding width, projected up to `hidden` when it differs. Default `hidden`. */
  embeddingSize?: number;
  /** Encoder layers. Default 2. */
  layers?: number;
  /** Hidden size; must be a multiple of `heads`. Default 32. */
  hidden?: number;
  /** Attention heads. Default 4. */
  heads?: number;
  /** Feed-forward size. Default 4 * hidden. */
  intermediate?: number;
  /** Position table size, also the tokenizer's `model_max_length`. Default 512. */
  maxPositions?: number;
  /** 1: one relevance logit. 2: a two-logit classifier (LABEL_0, LABEL_1). Default 1. */
  numLabels?: 1 | 2;
  /** Same seed and shape give a byte-identical model. Default 42. */
  seed?: number;
  /** Also write `onnx/model_quantized.onnx` (dynamic int8, what `dtype: 'q8'` loads). Default false. */
  quantized?: boolean;
  /** Regenerate even if `dir` already holds a model made with these options. Default false. */
  force?: boolean;
  /**
   * Keep the weights in `onnx/model.onnx_data` (and `onnx/model_quantized.onnx_data`) beside the graph,
   * as exporters save models over protobuf's 2 GB limit (ONNX external data). Default: true for a
   * 'qwen3' model whose fp32 weights would not fit that limit (Qwen3-Reranker-0.6B's shape with its
   * 151,669-token vocabulary), else false.
   */
  externalData?: boolean;
}

/** Model shapes tests use; spread one into the options: `{ dir, ...TEST_MODEL_SHAPES.miniLM }`. */
export const TEST_MODEL_SHAPES = {
  /** Fast enough to generate and run in every unit test (about 4 MB). */
  tiny: { layers: 2, hidden: 32, heads: 4, intermediate: 128 },
  /** The shape of ms-marco-MiniLM-L-6-v2 (about 91 MB, 23 MB quantized), for realistic timings. */
  miniLM: { layers: 6, hidden: 384, heads: 12, intermediate: 1536 },
  /** The encoder shape of ms-marco-electra-base (12 x 768; embedding_size 768), with architecture 'electra'. */
  electraBase: { layers: 12, hidden: 768, heads: 12, intermediate: 3072 },
  /** The encoder shape of bge-reranker-base (XLM-R base), with architecture 'xlm-roberta'. */
  bgeRerankerBase: { layers: 12, hidden: 768, heads: 12, intermediate: 3072 },
  /** The decoder shape of Qwen3-Reranker-0.6B, with architecture 'qwen3' (add `vocabSize: 151_669` for its LM head). */
  qwen3Reranker06B: { layers: 28, hidden: 1024, heads: 16, kvHeads: 8, headDim: 128, intermediate: 3072 },
  /** The encoder shape of bge-reranker-large (XLM-R large), with architecture 'xlm-roberta'. */
  bgeRerankerLarge: { layers: 24, hidden: 1024, heads: 16, intermediate: 4096 },
} as const satisfies Record<string, { layers: number; hidden: number; heads: number; intermediate: number; kvHeads?: number; headDim?: number }>;

export interface ResolvedOptions {
  dir: string;
  shape: BertShape;
  /** Set for architecture 'qwen3' (then `shape` holds only the shared sizes). */
  qwen3?: Qwen3Shape;
  seed: number;
  quantized: boolean;
  force: boolean;
  /** Write the weights as ONNX external data (`onnx/model.onnx_data`). */
  externalData: boolean;
}

export const XLMR_TEST_VOCAB_SIZE = 32002;

// Upper bounds keep a typo (hidden: 38400) from allocating gigabytes; BERT-large fits inside them.
const LIMITS = { layers: 48, hidden: 2048, heads: 64, intermediate: 16384, maxPositions: 8192 };
// Calibration needs room for [CLS] query [SEP] passage [SEP].
const MIN_POSITIONS = 8;

const OPTION_KEYS = Object.keys({
  dir: true,
  architecture: true,
  embeddingSize: true,
  layers: true,
  hidden: true,
  heads: true,
  intermediate: true,
  maxPositions: true,
  numLabels: true,
  seed: true,
  quantized: true,
  force: true,
  kvHeads: true,
  headDim: true,
  vocabSize: true,
  externalData: true,
} satisfies Record<keyof TestCrossEncoderOptions, true>);

export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidInputError(`createTestCrossEncoder options must be an object like { dir: '...' }, got ${describeValue(options)}.`);
  }
  checkKnownKeys(options, OPTION_KEYS, 'createTestCrossEncoder options');
  const o = options as Record<string, unknown>;
  if (typeof o.dir !== 'string' || o.dir.trim() === '') {
    throw new InvalidInputError(
      `options.dir must be a non-empty folder path, got ${describeValue(o.dir)}. Try defaultTestModelDir('my-model').`,
    );
  }
  const layers = integer(o, 'layers', 2, 1, LIMITS.layers);
  const heads = integer(o, 'heads', 4, 1, LIMITS.heads);
  const hidden = integer(o, 'hidden', 32, 1, LIMITS.hidden);
  if (hidden % heads !== 0) {
    throw new InvalidInputError(`options.hidden (${hidden}) must be a multiple of options.heads (${heads}); e.g. hidden ${heads * Math.max(1, Math.round(hidden / heads))}.`);
  }
  const intermediate = integer(o, 'intermediate', 4 * hidden, 1, LIMITS.intermediate);
  const maxPositions = integer(o, 'maxPositions', 512, MIN_POSITIONS, LIMITS.maxPositions);
  const numLabels = o.numLabels ?? 1;
  if (numLabels !== 1 && numLabels !== 2) {
    throw new InvalidInputError(`options.numLabels must be 1 or 2, got ${describeValue(numLabels)}.`);
  }
  const architecture = o.architecture ?? 'bert';
  if (architecture === 'qwen3') return resolveQwen3(o, { layers, heads, hidden, intermediate: integer(o, 'intermediate', 3 * hidden, 1, LIMITS.intermediate), maxPositions });
  for (const key of ['kvHeads', 'headDim', 'vocabSize']) {
    if (o[key] !== undefined) throw new InvalidInputError(`options.${key} applies to architecture 'qwen3' only (got architecture ${describeValue(architecture)}).`);
  }
  if (!TEST_ARCHITECTURES.includes(architecture as TestArchitecture)) {
    throw new InvalidInputError(`options.architecture must be one of ${TEST_ARCHITECTURES.join(', ')}, got ${describeValue(architecture)}.`);
  }
  if (o.embeddingSize !== undefined && architecture !== 'electra') {
    throw new InvalidInputError(`options.embeddingSize applies to architecture 'electra' only (got architecture ${describeValue(architecture)}).`);
  }
  const embeddingSize = integer(o, 'embeddingSize', hidden, 1, LIMITS.hidden);
  const seed = o.seed ?? 42;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new InvalidInputError(`options.seed must be an integer, got ${describeValue(seed)}.`);
  }
  return {
    dir: resolve(o.dir),
    shape: {
      layers, hidden, heads, intermediate, maxPositions, numLabels,
      ...(architecture !== 'bert' ? { architecture: architecture as TestArchitecture } : {}),
      ...(embeddingSize !== hidden ? { embeddingSize } : {}),
      // t5-small's 32,100 pieces less its 3 specials and 100 sentinels, plus XLM-R's 4 specials and <mask>.
      ...(architecture === 'xlm-roberta' ? { vocabSize: XLMR_TEST_VOCAB_SIZE } : {}),
    },
    seed,
    quantized: flag(o, 'quantized'),
    force: flag(o, 'force'),
    externalData: flag(o, 'externalData'),
  };
}

function resolveQwen3(o: Record<string, unknown>, base: { layers: number; heads: number; hidden: number; intermediate: number; maxPositions: number }): ResolvedOptions {
  const { layers, heads, hidden, intermediate, maxPositions } = base;
  for (const key of ['numLabels', 'embeddingSize']) {
    if (o[key] !== undefined) throw new InvalidInputError(`options.${key} does not apply to architecture 'qwen3' (a causal LM scored by its "yes" and "no" logits).`);
  }
  const kvHeads = integer(o, 'kvHeads', heads % 2 === 0 ? heads / 2 : heads, 1, LIMITS.heads);
  if (heads % kvHeads !== 0) throw new InvalidInputError(`options.heads (${heads}) must be a multiple of options.kvHeads (${kvHeads}).`);
  const headDim = integer(o, 'headDim', Math.max(2, Math.floor(hidden / heads)), 2, 512);
  if (headDim % 2 !== 0) throw new InvalidInputError(`options.headDim must be even (rotary embedding rotates pairs), got ${headDim}.`);
  const vocabSize = integer(o, 'vocabSize', QWEN2_STYLE_VOCAB, QWEN2_STYLE_VOCAB, 262_144);
  const seed = o.seed ?? 42;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new InvalidInputError(`options.seed must be an integer, got ${describeValue(seed)}.`);
  const qwen3: Qwen3Shape = { layers, hidden, heads, kvHeads, headDim, intermediate, vocabSize, maxPositions, ropeTheta: 1_000_000, rmsEps: 1e-6 };
  return {
    dir: resolve(o.dir as string),
    shape: { layers, hidden, heads, intermediate, maxPositions, numLabels: 1 },
    qwen3,
    seed,
    quantized: flag(o, 'quantized'),
    force: flag(o, 'force'),
    externalData: o.externalData === undefined ? 4 * qwen3Parameters(qwen3) > INLINE_LIMIT_BYTES : flag(o, 'externalData'),
  };
}

function integer(o: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const value = o[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`options.${key} must be an integer from ${min} to ${max}, got ${describeValue(value)}.`);
  }
  return value;
}

function flag(o: Record<string, unknown>, key: string): boolean {
  const value = o[key] ?? false;
  if (typeof value !== 'boolean') throw new InvalidInputError(`options.${key} must be true or false, got ${describeValue(value)}.`);
  return value;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'undefined') return String(value);
  return typeof value;
}
