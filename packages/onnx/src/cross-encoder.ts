import { activate, checkActivationOption, scoreRange, resolveActivation, type ActivationSource, type ScoreActivation } from './activation.js';
import { planBatches, type BatchCost } from './batching.js';
import { causalBatchTokens, checkCausalOptions, resolveInstruction } from './causal/causal-reranker.js';
import { packLeftPadded } from './causal/left-padded-batch.js';
import { callInstruction, openCausalSession, withoutCallInstruction } from './causal/open-causal-session.js';
import { ClassifierSession } from './classifier-session.js';
import { CrossrankError, DisposedError, InvalidInputError, ModelFormatError } from './errors.js';
import { loadClassifier, locateModel, type ModelFileChoice, type ModelLocation } from './model-loader.js';
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
import { checkLongDocumentOptions, type LongDocumentMode } from './long-documents.js';
import type { EncodedPair } from './pair-encoder.js';
import type { CausalEncoderInfo, ClassifierEncoderInfo, EncodeRequest } from './pair-source/encode-request.js';
import { LocalPairSource } from './pair-source/local-pair-source.js';
import type { EncoderOptions } from './pair-source/model-encoder.js';
import type { PairSource } from './pair-source/pair-source.js';
import { ThreadPairSource } from './pair-source/thread-pair-source.js';
import { snapshotPairs, snapshotPredictOptions } from './predict-args.js';
import { rankScores, snapshotRerankArgs, throwIfAborted } from './ranking.js';
import type { Reranker, RerankOptions, RerankResult } from './reranker.js';
import { InProcessSession } from './worker/in-process-session.js';
import { packBatch } from './worker/packed-batch.js';
import type { ScoringSession } from './worker/scoring-session.js';
import { workerLoadSpec } from './worker/protocol.js';
import { WorkerSession } from './worker/worker-session.js';
import { checkWorkerOptions, planWorkers, type WorkerPlan } from './worker/workers-option.js';

/** Pairs encoded and sorted together; bounds memory for very long candidate lists. */
const CHUNK = 1024;

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
  /** Niceness added to the worker threads (`workerNice`; 0 where it does not apply: see the README). */
  workerNice: number;
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
  /** Where texts become ids: this thread (`workers: 0`) or the encoder thread. */
  private readonly source: PairSource;
  private readonly session: ScoringSession;
  private readonly batchCost: BatchCost;
  private readonly padId: number;
  private disposed = false;
  /** Calls under way; `dispose()` waits for them. */
  private active = 0;
  private idle: (() => void) | undefined;

  private constructor(info: CrossEncoderInfo, source: PairSource, session: ScoringSession, batchCost: BatchCost, padId: number) {
    this.info = info;
    this.source = source;
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
    checkWorkerOptions(options.workers, options.workerNice);
    const choice: ModelFileChoice = { modelFile, dtype: options.modelFile === undefined ? dtype : undefined };
    // Downloads (if any) happen here, once, before any worker starts: workers only open the files.
    const location = await locateModel(model, options, choice);
    const plan = planWorkers(options.workers, options.threads, location, options.workerNice);
    // With workers, the tokenizer is parsed and run in the encoder thread, never on this one.
    const source = plan.workers === 0 ? await LocalPairSource.open(location, encoderOptions(options)) : await ThreadPairSource.open(location, encoderOptions(options), plan.nice);
    try {
      const { info } = source;
      if (info.kind === 'causal') return await CrossEncoder.loadCausal(model, options, dtype, plan, location, source, info, started);
      return await CrossEncoder.loadSequenceClassifier(model, options, dtype, modelFile, plan, location, source, info, started);
    } catch (error) {
      await source.dispose().catch(() => undefined);
      throw error;
    }
  }

  /** `load` for a sequence classifier (BERT, ELECTRA, XLM-R, ModernBERT ... cross-encoders). */
  private static async loadSequenceClassifier(
    model: string,
    options: CrossEncoderLoadOptions,
    dtype: CrossEncoderDtype,
    modelFile: string,
    plan: WorkerPlan,
    location: ModelLocation,
    source: PairSource,
    encoder: ClassifierEncoderInfo,
    started: number,
  ): Promise<CrossEncoder> {
    if (options.instruction !== undefined || options.promptName !== undefined) {
      throw instructionOnClassifier('options');
    }
    const session =
      plan.workers === 0
        ? new InProcessSession(new ClassifierSession(await loadClassifier(location, { ...options, threads: plan.threads }), 0))
        : await WorkerSession.start(plan.workers, workerLoadSpec(location, options, plan));
    // Proves the graph runs and returns [batch, 1 | 2] before any user call.
    const activation = await firstRun(session, async () => {
      const [probe] = await source.encode({ kind: 'pairs', pairs: [['', '']] });
      await session.score(packBatch([probe!], probe!.inputIds.length, encoder.padId, session.wantsTokenTypes));
      return resolveActivation(options.activation, encoder.config, session.numLogits ?? 1);
    });
    const info: CrossEncoderInfo = {
      ...loadedInfo(model, dtype, options, plan, started),
      modelFile,
      maxLength: encoder.maxLength,
      maxBatchTokens: options.maxBatchTokens ?? DEFAULT_MAX_BATCH_TOKENS,
      numLabels: session.numLogits ?? 1,
      activation: activation.activation,
      activationSource: activation.source,
      longDocuments: options.longDocuments ?? 'truncate',
      window: options.window,
      stride: options.stride,
      config: Object.freeze({ ...encoder.config }),
    };
    return new CrossEncoder(info, source, session, { overheadTokens: BATCH_OVERHEAD_TOKENS, attentionSpan: attentionSpan(encoder.config) }, encoder.padId);
  }

  /** `load` for a causal-LM reranker: the same contract, its own session (see src/causal/). */
  private static async loadCausal(
    model: string,
    options: CrossEncoderLoadOptions,
    dtype: CrossEncoderDtype,
    plan: WorkerPlan,
    location: ModelLocation,
    source: PairSource,
    causal: CausalEncoderInfo,
    started: number,
  ): Promise<CrossEncoder> {
    if (options.longDocuments === 'split') {
      throw new InvalidInputError("options.longDocuments 'split' is not supported for causal-LM rerankers; they truncate at maxLength (keeping the prompt's end).");
    }
    const session = await openCausalSession(causal, location, options, plan);
    // Proves the graph runs and reads the true/false logits before any user call.
    const activation = await firstRun(session, async () => {
      const [probe] = await source.encode({ kind: 'documents', query: '', documents: [''], instruction: causal.defaultInstruction });
      await session.score(packLeftPadded([probe!], probe!.inputIds.length, causal.padId));
      return resolveActivation(options.activation, causal.activationFn ? { sentence_transformers: { activation_fn: causal.activationFn } } : {}, 1);
    });
    const info: CrossEncoderInfo = {
      ...loadedInfo(model, dtype, options, plan, started),
      modelFile: location.modelFile,
      maxLength: causal.maxLength,
      maxBatchTokens: options.maxBatchTokens ?? causalBatchTokens(causal.vocabSize),
      numLabels: 1,
      activation: activation.activation,
      activationSource: activation.source,
      longDocuments: 'truncate',
      window: undefined,
      stride: undefined,
      config: Object.freeze({ ...causal.config }),
      causal: {
        trueTokenId: causal.scoring.trueTokenId,
        falseTokenId: causal.scoring.falseTokenId,
        instruction: causal.defaultInstruction,
        prompts: Object.freeze({ ...causal.prompts }),
        template: causal.templateSource,
      },
    };
    return new CrossEncoder(info, source, session, { overheadTokens: BATCH_OVERHEAD_TOKENS, attentionSpan: attentionSpan(causal.config) }, causal.padId);
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
    const { signal } = options;
    return this.track(() => this.score(pairs.length, (start, end) => ({ kind: 'pairs', pairs: pairs.slice(start, end), instruction }), signal));
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
    if (this.info.longDocuments === 'split') return this.track(() => this.rerankWindows(query, documents, options));
    const texts = documents;
    const logits = await this.track(() => this.score(texts.length, (start, end) => ({ kind: 'documents', query, documents: texts.slice(start, end), instruction }), options.signal));
    return rankScores(Array.from(logits, (raw) => activate(this.info.activation, raw)), options);
  }

  /**
   * `longDocuments: 'split'`: scores every window of every document (the query in each), keeps
   * each document's best window, and ranks by it. Windows are encoded chunk by chunk like pairs, so
   * memory grows with the number of windows only by three numbers each.
   */
  private async rerankWindows(query: string, documents: readonly string[], options: RerankOptions): Promise<RerankResult[]> {
    const { owners, starts, ends } = await this.source.planWindows(query, documents, options.signal);
    const windowText = (i: number) => documents[owners[i]!]!.slice(starts[i]!, ends[i]!);
    const logits = await this.score(
      owners.length,
      (start, end) => ({ kind: 'documents', query, documents: Array.from({ length: end - start }, (_, k) => windowText(start + k)) }),
      options.signal,
    );
    const best = new Float64Array(documents.length).fill(-Infinity);
    const bestWindow = new Int32Array(documents.length);
    logits.forEach((raw, i) => {
      const score = activate(this.info.activation, raw);
      // Ties keep the earliest window.
      if (score > best[owners[i]!]!) {
        best[owners[i]!] = score;
        bestWindow[owners[i]!] = i;
      }
    });
    return rankScores(best, options).map((result) => ({ ...result, span: { start: starts[bestWindow[result.index]!]!, end: ends[bestWindow[result.index]!]! } }));
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
    await Promise.all([this.session.dispose(), this.source.dispose()]);
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
   * calls take turns batch by batch; the next chunk is encoded while this one runs. Batches are
   * planned the same way whatever runs them, so the results are too.
   */
  private async score(count: number, chunk: (start: number, end: number) => EncodeRequest, signal?: AbortSignal): Promise<Float32Array> {
    throwIfAborted(signal);
    const out = new Float32Array(count);
    const encodeFrom = (start: number): Promise<EncodedPair[]> => {
      const encoding = this.source.encode(chunk(start, Math.min(count, start + CHUNK)), signal);
      // Settled by the loop below, unless an earlier chunk failed first.
      encoding.catch(() => undefined);
      return encoding;
    };
    let next = encodeFrom(0);
    for (let start = 0; start < count; start += CHUNK) {
      const encoded = await next;
      if (start + CHUNK < count) next = encodeFrom(start + CHUNK);
      throwIfAborted(signal);
      const batches = planBatches(encoded.map((p) => p.inputIds.length), this.info.batchSize, this.info.maxBatchTokens, this.batchCost);
      let taken = 0;
      let failed = false;
      const lane = async (): Promise<void> => {
        try {
          // Once one batch of the call has failed, the others stop taking new batches.
          while (taken < batches.length && !failed) {
            const batch = batches[taken++]!;
            throwIfAborted(signal);
            const members = batch.members.map((i) => encoded[i]!);
            const packed = this.info.causal
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
 * The padded length at which self-attention costs as much per token as the dense layers: per token
 * and layer, attention does 2 * length * h multiply-adds against the projections' and feed-forward's
 * h * (4h + 2 * ffn), so the ratio is length / (2h + ffn). Unknown configs ignore attention.
 */
function attentionSpan(config: Record<string, unknown>): number {
  const hidden = config['hidden_size'];
  const ffn = config['intermediate_size'];
  return typeof hidden === 'number' && typeof ffn === 'number' && hidden > 0 && ffn > 0 ? 2 * hidden + ffn : Infinity;
}

/**
 * The one tiny forward pass `load` makes before any user call: its result, or (after releasing the
 * session) its error, a `ModelFormatError` unless it is already a crossrank error.
 */
async function firstRun<T>(session: ScoringSession, pass: () => Promise<T>): Promise<T> {
  try {
    return await pass();
  } catch (error) {
    await session.dispose().catch(() => undefined);
    if (error instanceof CrossrankError) throw error;
    throw new ModelFormatError(`The ONNX model failed its first run: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The `info` fields every kind of model fills the same way. */
function loadedInfo(
  model: string,
  dtype: CrossEncoderDtype,
  options: CrossEncoderLoadOptions,
  plan: WorkerPlan,
  started: number,
): Pick<CrossEncoderInfo, 'model' | 'dtype' | 'batchSize' | 'loadMs' | 'workers' | 'threads' | 'workerNice'> {
  return {
    model,
    dtype,
    batchSize: options.batchSize ?? (PER_PAIR_DTYPES.has(dtype) ? 1 : DEFAULT_BATCH_SIZE),
    loadMs: performance.now() - started,
    workers: plan.workers,
    threads: plan.threads,
    workerNice: plan.nice,
  };
}

/** The load options the tokenizer side reads (plain data: they may cross to the encoder thread). */
function encoderOptions(options: CrossEncoderLoadOptions): EncoderOptions {
  const picked: EncoderOptions = {};
  if (options.maxLength !== undefined) picked.maxLength = options.maxLength;
  if (options.instruction !== undefined) picked.instruction = options.instruction;
  if (options.promptName !== undefined) picked.promptName = options.promptName;
  if (options.preset !== undefined) picked.preset = options.preset;
  if (options.window !== undefined) picked.window = options.window;
  if (options.stride !== undefined) picked.stride = options.stride;
  return picked;
}

/** An instruction (or prompt name) given to a sequence classifier, at load or per call. */
function instructionOnClassifier(where: string): InvalidInputError {
  return new InvalidInputError(`${where}.instruction and ${where}.promptName apply to causal-LM rerankers (e.g. Qwen3-Reranker); this model is a sequence classifier.`);
}
