import { activate, checkActivationOption, scoreRange, resolveActivation, type ActivationSource, type ScoreActivation } from './activation.js';
import { planBatches, type BatchCost } from './batching.js';
import { CausalPairEncoder } from './causal/causal-pair-encoder.js';
import { causalBatchTokens, checkCausalOptions, detectCausalReranker, resolveInstruction, type CausalReranker } from './causal/causal-reranker.js';
import { packLeftPadded } from './causal/left-padded-batch.js';
import { callInstruction, openCausalSession, withoutCallInstruction } from './causal/open-causal-session.js';
import { ClassifierSession } from './classifier-session.js';
import { CrossrankError, DisposedError, InvalidInputError, ModelFormatError } from './errors.js';
import { HfTextTokenizer } from './hf-tokenizer.js';
import { loadClassifier, loadTokenizer, locateModel, type ModelFileChoice, type ModelLocation } from './model-loader.js';
import type { TokenizerLike } from './pretrained-tokenizer.js';
import {
  BATCH_OVERHEAD_TOKENS,
  checkLoadOptions,
  DEFAULT_BATCH_SIZE,
  PER_PAIR_DTYPES,
  DEFAULT_MAX_BATCH_TOKENS,
  type CrossEncoderDtype,
  type CrossEncoderLoadOptions,
  type CrossEncoderRerankOptions,
  type PredictOptions,
} from './options.js';
import { checkLongDocumentOptions, planWindows, type LongDocumentMode, type TextSpan } from './long-documents.js';
import { resolvePadId } from './pad-id.js';
import { PairEncoder, type EncodedPair, type TextTokens } from './pair-encoder.js';
import { snapshotPairs, snapshotPredictOptions } from './predict-args.js';
import { describe, rankScores, snapshotRerankArgs, throwIfAborted } from './ranking.js';
import type { Reranker, RerankOptions, RerankResult } from './reranker.js';
import { InProcessSession } from './worker/in-process-session.js';
import { packBatch } from './worker/packed-batch.js';
import type { ScoringSession } from './worker/scoring-session.js';
import { workerLoadSpec } from './worker/protocol.js';
import { WorkerSession } from './worker/worker-session.js';
import { planWorkers, type WorkerPlan } from './worker/workers-option.js';

/** Pairs tokenized and sorted together; bounds memory for very long candidate lists. */
const CHUNK = 1024;
/** Pairs tokenized between checks of the clock. */
const ENCODE_STEP = 8;
/** Tokenizing runs on the calling thread: after this long it yields to the event loop and checks the signal. */
const ENCODE_SLICE_MS = 8;

/**
 * Encodes pairs `start..end` in steps, yielding to the event loop (and honouring `signal`) whenever a
 * slice has run `ENCODE_SLICE_MS`, so a chunk of long documents neither blocks other work nor delays
 * an abort until all of it is tokenized.
 */
async function encodeInSlices(
  start: number,
  end: number,
  encodeChunk: (start: number, end: number) => EncodedPair[],
  signal: AbortSignal | undefined,
): Promise<EncodedPair[]> {
  const encoded: EncodedPair[] = [];
  let sliceStarted = performance.now();
  for (let at = start; at < end; at += ENCODE_STEP) {
    for (const pair of encodeChunk(at, Math.min(end, at + ENCODE_STEP))) encoded.push(pair);
    if (at + ENCODE_STEP < end && performance.now() - sliceStarted > ENCODE_SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      throwIfAborted(signal);
      sliceStarted = performance.now();
    }
  }
  return encoded;
}

export type Pair = readonly [query: string, document: string];

export interface CrossEncoderInfo {
  model: string;
  /** The `dtype` option, or the one `modelFile` is named for (see `CrossEncoderLoadOptions.modelFile`). */
  dtype: CrossEncoderDtype;
  /** The ONNX file loaded, by its path in the repository or folder (`onnx/model.onnx`). */
  modelFile: string;
  maxLength: number;
  batchSize: number;
  maxBatchTokens: number;
  /** 1 (a relevance logit) or 2 (negative, positive classes). */
  numLabels: number;
  /** How `rerank` turns raw outputs into scores (see `CrossEncoderLoadOptions.activation`). */
  activation: ScoreActivation;
  /** Whether `activation` came from the `activation` option, the model's config.json, or the default. */
  activationSource: ActivationSource;
  /** How `rerank` treats documents longer than the window (see `CrossEncoderLoadOptions.longDocuments`). */
  longDocuments: LongDocumentMode;
  /** 'split': document tokens per window and between window starts; undefined = derived per query. */
  window: number | undefined;
  stride: number | undefined;
  /** Milliseconds spent in `load` (download excluded only when cached). */
  loadMs: number;
  /** Worker threads running forward passes; 0 when they run in the calling thread. */
  workers: number;
  /** ONNX Runtime intra-op threads per session (per worker). */
  threads: number;
  config: Readonly<Record<string, unknown>>;
  /**
   * Set for a causal-LM reranker (Qwen3-Reranker and its kind): how its score is read and the
   * instruction calls use when they pass none.
   */
  causal?: CausalInfo;
}

export interface CausalInfo {
  /** score = logit[trueTokenId] - logit[falseTokenId] at the last position (logit[trueTokenId] when null). */
  trueTokenId: number;
  falseTokenId: number | null;
  /** The default instruction (the system message); undefined renders none. */
  instruction: string | undefined;
  /** Named instructions from config_sentence_transformers.json, for `promptName`. */
  prompts: Readonly<Record<string, string>>;
  /** The chat template's origin: a file of the model, or `preset:<name>`. */
  template: string;
}

/**
 * A local cross-encoder: scores (query, document) pairs with an ONNX sequence classifier, encoding
 * each pair exactly as sentence-transformers does. Pairs are sorted by length into micro-batches;
 * results always come back in input order and do not depend on how they were batched.
 */
export class CrossEncoder implements Reranker {
  readonly info: CrossEncoderInfo;
  private readonly encoder: PairEncoder | CausalPairEncoder;
  private readonly session: ScoringSession;
  private readonly batchCost: BatchCost;
  private readonly padId: number;
  private disposed = false;
  /** Calls under way; `dispose()` waits for them. */
  private active = 0;
  private idle: (() => void) | undefined;

  private constructor(info: CrossEncoderInfo, encoder: PairEncoder | CausalPairEncoder, session: ScoringSession, batchCost: BatchCost, padId: number) {
    this.info = info;
    this.encoder = encoder;
    this.session = session;
    this.batchCost = batchCost;
    this.padId = padId;
  }

  /**
   * Loads a cross-encoder from a Hugging Face hub id (downloaded once, then cached) or a local folder
   * holding `config.json`, tokenizer files and `onnx/model*.onnx`.
   *
   * Forward passes run in worker threads (`workers`, default `'auto'`), each loading its own copy
   * of the model, so the calling thread stays free; `workers: 0` runs them in the calling thread.
   */
  static async load(model: string, options: CrossEncoderLoadOptions = {}): Promise<CrossEncoder> {
    const started = performance.now();
    const { dtype, modelFile } = checkLoadOptions(options);
    checkActivationOption(options.activation);
    checkLongDocumentOptions(options);
    checkCausalOptions(options as Record<string, unknown>);
    const plan = planWorkers(options.workers, options.threads);
    const choice: ModelFileChoice = { modelFile, dtype: options.modelFile === undefined ? dtype : undefined };
    // Downloads (if any) happen here, once, before any worker starts: workers only open the files.
    const location = await locateModel(model, options, choice);
    const causal = await detectCausalReranker(location, options);
    if (causal) return CrossEncoder.loadCausal(model, options, dtype, plan, causal, started);
    if (options.instruction !== undefined || options.promptName !== undefined) {
      throw instructionOnClassifier('options');
    }
    const { tokenizer: hfTokenizer, config, session } = await openSession(location, options, plan);
    let encoder: PairEncoder;
    let maxLength: number;
    let padId: number;
    let specialCount: number;
    try {
      const tokenizer = new HfTextTokenizer(hfTokenizer);
      const template = tokenizer.pairTemplate();
      specialCount = template.specialCount;
      maxLength = resolveMaxLength(options.maxLength, tokenizer.modelMaxLength(), config, specialCount);
      encoder = new PairEncoder(tokenizer, template, maxLength);
      padId = resolvePadId(hfTokenizer, config);
    } catch (error) {
      await session.dispose().catch(() => undefined);
      throw error;
    }

    // One tiny forward pass: proves the graph runs and returns [batch, 1 | 2] before any user call.
    try {
      await session.score(packBatch([encoder.encodeTokens([], [])], specialCount, padId, session.wantsTokenTypes));
    } catch (error) {
      await session.dispose().catch(() => undefined);
      if (error instanceof ModelFormatError) throw error;
      throw new ModelFormatError(`The ONNX model failed its first run: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const numLabels = session.numLogits ?? 1;
    let activation: ReturnType<typeof resolveActivation>;
    try {
      activation = resolveActivation(options.activation, config, numLabels);
    } catch (error) {
      await session.dispose().catch(() => undefined);
      throw error;
    }
    const info: CrossEncoderInfo = {
      model,
      dtype,
      modelFile,
      maxLength,
      batchSize: options.batchSize ?? (PER_PAIR_DTYPES.has(dtype) ? 1 : DEFAULT_BATCH_SIZE),
      maxBatchTokens: options.maxBatchTokens ?? DEFAULT_MAX_BATCH_TOKENS,
      numLabels,
      activation: activation.activation,
      activationSource: activation.source,
      longDocuments: options.longDocuments ?? 'truncate',
      window: options.window,
      stride: options.stride,
      loadMs: performance.now() - started,
      workers: plan.workers,
      threads: plan.threads,
      config: Object.freeze({ ...config }),
    };
    return new CrossEncoder(info, encoder, session, { overheadTokens: BATCH_OVERHEAD_TOKENS, attentionSpan: attentionSpan(config) }, padId);
  }

  /** `load` for a causal-LM reranker: the same contract, its own encoder and session (see src/causal/). */
  private static async loadCausal(
    model: string,
    options: CrossEncoderLoadOptions,
    dtype: CrossEncoderDtype,
    plan: WorkerPlan,
    causal: CausalReranker,
    started: number,
  ): Promise<CrossEncoder> {
    if (options.longDocuments === 'split') {
      throw new InvalidInputError("options.longDocuments 'split' is not supported for causal-LM rerankers; they truncate at maxLength (keeping the prompt's end).");
    }
    const session = await openCausalSession(causal, options, plan);
    let activation: ReturnType<typeof resolveActivation>;
    try {
      // One tiny forward pass: proves the graph runs and reads the true/false logits before any user call.
      const probe = causal.encoder.encode('', '', causal.defaultInstruction);
      await session.score(packLeftPadded([probe], probe.inputIds.length, causal.padId));
      activation = resolveActivation(options.activation, causal.activationFn ? { sentence_transformers: { activation_fn: causal.activationFn } } : {}, 1);
    } catch (error) {
      await session.dispose().catch(() => undefined);
      if (error instanceof CrossrankError) throw error;
      throw new ModelFormatError(`The ONNX model failed its first run: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const info: CrossEncoderInfo = {
      model,
      dtype,
      modelFile: causal.files.location.modelFile,
      maxLength: causal.encoder.maxLength,
      batchSize: options.batchSize ?? (PER_PAIR_DTYPES.has(dtype) ? 1 : DEFAULT_BATCH_SIZE),
      maxBatchTokens: options.maxBatchTokens ?? causalBatchTokens(causal.vocabSize),
      numLabels: 1,
      activation: activation.activation,
      activationSource: activation.source,
      longDocuments: 'truncate',
      window: undefined,
      stride: undefined,
      loadMs: performance.now() - started,
      workers: plan.workers,
      threads: plan.threads,
      config: Object.freeze({ ...causal.config }),
      causal: {
        trueTokenId: causal.scoring.trueTokenId,
        falseTokenId: causal.scoring.falseTokenId,
        instruction: causal.defaultInstruction,
        prompts: Object.freeze({ ...causal.prompts }),
        template: causal.templateSource,
      },
    };
    return new CrossEncoder(info, causal.encoder, session, { overheadTokens: BATCH_OVERHEAD_TOKENS, attentionSpan: attentionSpan(causal.config) }, causal.padId);
  }

  /**
   * Raw model outputs, one per pair, in input order: the logit for single-logit models; for
   * two-logit models the positive class's logit minus the negative's (so `sigmoid` of it is the
   * positive class's softmax probability).
   */
  async predict(pairs: readonly Pair[], options: PredictOptions = {}): Promise<Float32Array> {
    pairs = snapshotPairs(pairs);
    const instruction = this.callInstruction(options, 'options');
    options = snapshotPredictOptions(withoutCallInstruction(options));
    this.checkUsable();
    if (pairs.length === 0) return new Float32Array(0);
    const encoder = this.encoder;
    if (encoder instanceof CausalPairEncoder) {
      return this.track(() => this.score(pairs.length, (start, end) => pairs.slice(start, end).map(([q, d]) => encoder.encode(q, d, instruction)), options.signal));
    }
    // Queries usually repeat across pairs: tokenize each distinct text once (the memo is bounded like a chunk).
    const cache = new Map<string, TextTokens>();
    const tokens = (text: string) => {
      let ids = cache.get(text);
      if (!ids) {
        if (cache.size >= 2 * CHUNK) cache.clear();
        cache.set(text, (ids = encoder.tokenize(text)));
      }
      return ids;
    };
    return this.track(() =>
      this.score(pairs.length, (start, end) => pairs.slice(start, end).map(([q, d]) => encoder.encodeTokens(tokens(q), tokens(d))), options.signal),
    );
  }

  /**
   * Ranks `documents` for `query`, best first, `index` into `documents`. `score` is the raw output
   * through the model's activation (as sentence-transformers scores it): in [0, 1] for sigmoid and
   * softmax, unbounded for identity.
   */
  async rerank(query: string, documents: readonly string[], options: CrossEncoderRerankOptions = {}): Promise<RerankResult[]> {
    const instruction = this.callInstruction(options, 'options');
    ({ query, documents, options } = snapshotRerankArgs(query, documents, withoutCallInstruction(options), scoreRange(this.info.activation)));
    // topN 0 keeps nothing (the contract's rule, as slicing to top_k=0 in sentence-transformers): score nothing.
    if (documents.length === 0 || options.topN === 0) return [];
    this.checkUsable();
    const encoder = this.encoder;
    if (encoder instanceof CausalPairEncoder) {
      const causalQuery = query;
      const causalDocuments = documents;
      const logits = await this.track(() =>
        this.score(causalDocuments.length, (start, end) => causalDocuments.slice(start, end).map((doc) => encoder.encode(causalQuery, doc, instruction)), options.signal),
      );
      return rankScores(Array.from(logits, (raw) => activate(this.info.activation, raw)), options);
    }
    if (this.info.longDocuments === 'split') return this.track(() => this.rerankWindows(query, documents, options));
    const logits = await this.track(() => {
      const queryTokens = encoder.tokenize(query);
      return this.score(
        documents.length,
        (start, end) => documents.slice(start, end).map((doc) => encoder.encodeTokens(queryTokens, encoder.tokenize(doc))),
        options.signal,
      );
    });
    const scores = Array.from(logits, (raw) => activate(this.info.activation, raw));
    return rankScores(scores, options);
  }

  /**
   * `longDocuments: 'split'`: scores every window of every document (the query in each), keeps
   * each document's best window, and ranks by it. Windows are encoded chunk by chunk like pairs, so
   * memory grows with the number of windows only by two numbers each.
   */
  private async rerankWindows(query: string, documents: readonly string[], options: RerankOptions): Promise<RerankResult[]> {
    if (!(this.encoder instanceof PairEncoder)) throw new InvalidInputError("longDocuments 'split' is not supported for causal-LM rerankers.");
    const encoder = this.encoder;
    const queryTokens = encoder.tokenize(query);
    const budget = this.info.maxLength - encoder.template.specialCount;
    // longest_first cuts the longer side first, so a long query never leaves less than half.
    const window = this.info.window ?? Math.max(budget - queryTokens.length, Math.floor(budget / 2), 1);
    const stride = this.info.stride ?? Math.max(1, Math.floor(window / 2));
    const wordTokens = new Map<string, number>();
    const countTokens = (word: string): number => {
      let n = wordTokens.get(word);
      if (n === undefined) {
        if (wordTokens.size > 100_000) wordTokens.clear();
        wordTokens.set(word, (n = encoder.tokenize(word).length));
      }
      return n;
    };
    const owners: number[] = [];
    const spans: TextSpan[] = [];
    documents.forEach((document, index) => {
      for (const span of planWindows(document, countTokens, window, stride)) {
        owners.push(index);
        spans.push(span);
      }
    });
    const logits = await this.score(
      spans.length,
      (start, end) =>
        spans.slice(start, end).map((span, k) => encoder.encodeTokens(queryTokens, encoder.tokenize(documents[owners[start + k]!]!.slice(span.start, span.end)))),
      options.signal,
    );
    const best = new Float64Array(documents.length).fill(-Infinity);
    const bestSpan: TextSpan[] = new Array<TextSpan>(documents.length);
    logits.forEach((raw, i) => {
      const score = activate(this.info.activation, raw);
      // Ties keep the earliest window.
      if (score > best[owners[i]!]!) {
        best[owners[i]!] = score;
        bestSpan[owners[i]!] = spans[i]!;
      }
    });
    return rankScores(best, options).map((result) => ({ ...result, span: { ...bestSpan[result.index]! } }));
  }

  /**
   * Releases the ONNX session(s) and stops the worker threads. Calls already under way (including
   * one started just before, in the same tick) finish normally; calls made after it reject with
   * `DisposedError`.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.active > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await this.session.dispose();
  }

  /** Counts a call as under way from its synchronous start, so `dispose()` waits for it. */
  private async track<T>(call: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await call();
    } finally {
      if (--this.active === 0) this.idle?.();
    }
  }

  /**
   * Scores `count` pairs chunk by chunk. Each chunk's batches go to the session keeping up to
   * `session.parallelism` in flight (one in the calling thread; one per worker), so concurrent
   * calls take turns batch by batch. Batches are planned the same way whatever runs them, so the
   * results are too.
   */
  private async score(count: number, encodeChunk: (start: number, end: number) => EncodedPair[], signal?: AbortSignal): Promise<Float32Array> {
    throwIfAborted(signal);
    const out = new Float32Array(count);
    for (let start = 0; start < count; start += CHUNK) {
      const end = Math.min(count, start + CHUNK);
      const encoded = await encodeInSlices(start, end, encodeChunk, signal);
      const batches = planBatches(encoded.map((p) => p.inputIds.length), this.info.batchSize, this.info.maxBatchTokens, this.batchCost);
      let next = 0;
      let failed = false;
      const lane = async (): Promise<void> => {
        try {
          // Once one batch of the call has failed, the others stop taking new batches.
          while (next < batches.length && !failed) {
            const batch = batches[next++]!;
            throwIfAborted(signal);
            const members = batch.members.map((i) => encoded[i]!);
            const packed =
              this.encoder instanceof CausalPairEncoder
                ? packLeftPadded(members, batch.paddedLength, this.padId)
                : packBatch(members, batch.paddedLength, this.padId, this.session.wantsTokenTypes);
            const scores = await this.session.score(packed, signal);
            batch.members.forEach((i, row) => (out[start + i] = scores[row]!));
          }
        } catch (error) {
          failed = true;
          throw error;
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.session.parallelism, batches.length) }, lane));
    }
    return out;
  }

  /** The instruction a call resolves to (causal-LM rerankers only; others refuse one). */
  private callInstruction(options: unknown, where: string): string | undefined {
    const { instruction, promptName } = callInstruction(options, where);
    const causal = this.info.causal;
    if (!causal) {
      if (instruction !== undefined || promptName !== undefined) {
        throw instructionOnClassifier(where);
      }
      return undefined;
    }
    return resolveInstruction(causal.prompts, instruction, promptName, causal.instruction, where);
  }

  private checkUsable(): void {
    if (this.disposed) throw new DisposedError('This CrossEncoder was disposed; load a new one with CrossEncoder.load().');
  }
}

/**
 * The tokenizer for the calling thread and a scoring session: in this thread (`workers: 0`, the
 * model loaded here) or in worker threads (each loading the model; only the tokenizer loads here).
 */
async function openSession(
  location: ModelLocation,
  options: CrossEncoderLoadOptions,
  plan: WorkerPlan,
): Promise<{ tokenizer: TokenizerLike; config: Record<string, unknown>; session: ScoringSession }> {
  const tokenizer = await loadTokenizer(location);
  if (plan.workers === 0) {
    const classifier = await loadClassifier(location, { ...options, threads: plan.threads });
    return { tokenizer, config: { ...classifier.config }, session: new InProcessSession(new ClassifierSession(classifier, 0)) };
  }
  const session = await WorkerSession.start(plan.workers, workerLoadSpec(location, options, plan.threads));
  return { tokenizer, config: session.config, session };
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

/** An instruction (or prompt name) given to a sequence classifier, at load or per call. */
function instructionOnClassifier(where: string): InvalidInputError {
  return new InvalidInputError(`${where}.instruction and ${where}.promptName apply to causal-LM rerankers (e.g. Qwen3-Reranker); this model is a sequence classifier.`);
}
