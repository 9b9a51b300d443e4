import { planBatches, type BatchCost } from './batching.js';
import { ClassifierSession } from './classifier-session.js';
import { DisposedError, InvalidInputError, ModelFormatError } from './errors.js';
import { HfTextTokenizer } from './hf-tokenizer.js';
import { loadModel } from './model-loader.js';
import {
  BATCH_OVERHEAD_TOKENS,
  DEFAULT_BATCH_SIZE,
  PER_PAIR_DTYPES,
  DEFAULT_MAX_BATCH_TOKENS,
  DTYPE_FILE_SUFFIX,
  type CrossEncoderDtype,
  type CrossEncoderLoadOptions,
  type PredictOptions,
} from './options.js';
import { PairEncoder, type EncodedPair, type TextTokens } from './pair-encoder.js';
import { describe, rankScores, throwIfAborted, validateRerankArgs } from './ranking.js';
import type { Reranker, RerankOptions, RerankResult } from './reranker.js';
import { sigmoid } from './scores.js';
import { SerialQueue } from './serial-queue.js';

/** Pairs tokenized and sorted together; bounds memory for very long candidate lists. */
const CHUNK = 1024;

export type Pair = readonly [query: string, document: string];

export interface CrossEncoderInfo {
  model: string;
  dtype: CrossEncoderDtype;
  maxLength: number;
  batchSize: number;
  maxBatchTokens: number;
  /** 1 (a relevance logit) or 2 (negative, positive classes). */
  numLabels: number;
  /** Milliseconds spent in `load` (download excluded only when cached). */
  loadMs: number;
  config: Readonly<Record<string, unknown>>;
}

/**
 * A local cross-encoder: scores (query, document) pairs with an ONNX sequence classifier, encoding
 * each pair exactly as sentence-transformers does. Pairs are sorted by length into micro-batches;
 * results always come back in input order and do not depend on how they were batched.
 */
export class CrossEncoder implements Reranker {
  readonly info: CrossEncoderInfo;
  private readonly encoder: PairEncoder;
  private readonly session: ClassifierSession;
  private readonly batchCost: BatchCost;
  private readonly queue = new SerialQueue();
  private disposed = false;

  private constructor(info: CrossEncoderInfo, encoder: PairEncoder, session: ClassifierSession, batchCost: BatchCost) {
    this.info = info;
    this.encoder = encoder;
    this.session = session;
    this.batchCost = batchCost;
  }

  /**
   * Loads a cross-encoder from a Hugging Face hub id (downloaded once, then cached) or a local folder
   * holding `config.json`, tokenizer files and `onnx/model*.onnx`.
   */
  static async load(model: string, options: CrossEncoderLoadOptions = {}): Promise<CrossEncoder> {
    const started = performance.now();
    const dtype = checkOptions(options);
    const loaded = await loadModel(model, options, dtype);
    const tokenizer = new HfTextTokenizer(loaded.tokenizer);
    const template = tokenizer.pairTemplate();
    const maxLength = resolveMaxLength(options.maxLength, tokenizer.modelMaxLength(), loaded.config, template.specialCount);
    const encoder = new PairEncoder(tokenizer, template, maxLength);
    const padId = (loaded.tokenizer as unknown as { pad_token_id?: number }).pad_token_id ?? 0;
    const session = new ClassifierSession(loaded.model, padId);

    // One tiny forward pass: proves the graph runs and returns [batch, 1 | 2] before any user call.
    const probe = new Float32Array(1);
    try {
      await session.run([encoder.encodeTokens([], [])], template.specialCount, probe, [0]);
    } catch (error) {
      await session.dispose().catch(() => undefined);
      if (error instanceof ModelFormatError) throw error;
      throw new ModelFormatError(`The ONNX model failed its first run: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const info: CrossEncoderInfo = {
      model,
      dtype,
      maxLength,
      batchSize: options.batchSize ?? (PER_PAIR_DTYPES.has(dtype) ? 1 : DEFAULT_BATCH_SIZE),
      maxBatchTokens: options.maxBatchTokens ?? DEFAULT_MAX_BATCH_TOKENS,
      numLabels: session.numLogits ?? 1,
      loadMs: performance.now() - started,
      config: Object.freeze({ ...loaded.config }),
    };
    return new CrossEncoder(info, encoder, session, { overheadTokens: BATCH_OVERHEAD_TOKENS, attentionSpan: attentionSpan(loaded.config) });
  }

  /**
   * Raw model outputs, one per pair, in input order: the logit for single-logit models; for
   * two-logit models the positive class's logit minus the negative's (so `sigmoid` of it is the
   * positive class's softmax probability).
   */
  async predict(pairs: readonly Pair[], options: PredictOptions = {}): Promise<Float32Array> {
    if (!Array.isArray(pairs)) throw new InvalidInputError(`pairs must be an array of [query, document] string pairs, got ${describe(pairs)}.`);
    pairs.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        throw new InvalidInputError(`pairs[${i}] must be a [query, document] pair of two strings, got ${describe(pair)}.`);
      }
    });
    this.checkUsable();
    if (pairs.length === 0) return new Float32Array(0);
    // Queries usually repeat across pairs: tokenize each distinct text once per chunk.
    return this.score(pairs.length, (start, end) => {
      const cache = new Map<string, TextTokens>();
      const tokens = (text: string) => {
        let ids = cache.get(text);
        if (!ids) cache.set(text, (ids = this.encoder.tokenize(text)));
        return ids;
      };
      return pairs.slice(start, end).map(([q, d]) => this.encoder.encodeTokens(tokens(q), tokens(d)));
    }, options.signal);
  }

  /** Ranks `documents` for `query`: relevance in [0, 1], best first, `index` into `documents`. */
  async rerank(query: string, documents: readonly string[], options: RerankOptions = {}): Promise<RerankResult[]> {
    validateRerankArgs(query, documents, options);
    if (documents.length === 0) return [];
    this.checkUsable();
    const queryTokens = this.encoder.tokenize(query);
    const logits = await this.score(
      documents.length,
      (start, end) => documents.slice(start, end).map((doc) => this.encoder.encodeTokens(queryTokens, this.encoder.tokenize(doc))),
      options.signal,
    );
    const scores = Array.from(logits, sigmoid);
    return rankScores(scores, options);
  }

  /** Releases the ONNX session once calls already under way have finished. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.drain();
    await this.session.dispose();
  }

  private async score(count: number, encodeChunk: (start: number, end: number) => EncodedPair[], signal?: AbortSignal): Promise<Float32Array> {
    throwIfAborted(signal);
    const out = new Float32Array(count);
    for (let start = 0; start < count; start += CHUNK) {
      const end = Math.min(count, start + CHUNK);
      const encoded = encodeChunk(start, end);
      const batches = planBatches(encoded.map((p) => p.inputIds.length), this.info.batchSize, this.info.maxBatchTokens, this.batchCost);
      for (const batch of batches) {
        throwIfAborted(signal);
        await this.queue.run(async () => {
          throwIfAborted(signal);
          this.checkUsable();
          await this.session.run(batch.members.map((i) => encoded[i]!), batch.paddedLength, out, batch.members.map((i) => start + i));
        });
      }
    }
    return out;
  }

  private checkUsable(): void {
    if (this.disposed) throw new DisposedError('This CrossEncoder was disposed; load a new one with CrossEncoder.load().');
  }
}

function checkOptions(options: CrossEncoderLoadOptions): CrossEncoderDtype {
  if (options === null || typeof options !== 'object') throw new InvalidInputError(`options must be an object, got ${describe(options)}.`);
  const dtype = options.dtype ?? 'fp32';
  if (!Object.hasOwn(DTYPE_FILE_SUFFIX, dtype)) {
    throw new InvalidInputError(`options.dtype must be one of ${Object.keys(DTYPE_FILE_SUFFIX).join(', ')}, got ${JSON.stringify(dtype)}.`);
  }
  for (const key of ['maxLength', 'threads', 'batchSize', 'maxBatchTokens'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new InvalidInputError(`options.${key} must be a positive integer, got ${describe(value)}.`);
    }
  }
  return dtype;
}

/**
 * The padded length at which self-attention costs as much per token as the dense layers: per token
 * and layer, attention does 2 * length * h multiply-adds against the projections' and feed-forward's
 * h * (4h + 2 * ffn), so the ratio is length / (2h + ffn). Unknown configs ignore attention.
 */
function attentionSpan(config: Record<string, unknown>): number {
  const hidden = config['hidden_size'];
  const ffn = config['intermediate_size'];
  return typeof hidden === 'number' && typeof ffn === 'number' && hidden > 0 && ffn > 0 ? 2 * hidden + ffn : Infinity;
}

function resolveMaxLength(requested: number | undefined, tokenizerMax: number | undefined, config: Record<string, unknown>, specialCount: number): number {
  const positions = typeof config['max_position_embeddings'] === 'number' ? (config['max_position_embeddings'] as number) : undefined;
  // RoBERTa-family models reserve two position ids (padding offset).
  const offset = ['roberta', 'xlm-roberta', 'camembert'].includes(String(config['model_type'])) ? 2 : 0;
  const modelMax = positions !== undefined ? positions - offset : undefined;
  const limit = Math.min(tokenizerMax ?? modelMax ?? 512, modelMax ?? Infinity);
  if (requested === undefined) return limit;
  if (requested > limit) {
    throw new InvalidInputError(`options.maxLength ${requested} exceeds this model's limit of ${limit} tokens.`);
  }
  if (requested < specialCount) {
    throw new InvalidInputError(`options.maxLength ${requested} leaves no room for text: a pair needs ${specialCount} special tokens.`);
  }
  return requested;
}
