import { abortError, CrossrankError, snapshotRerankArgs, throwIfAborted } from '@crossrank/core';
import type { RerankOptions, RerankResult, Reranker } from '@crossrank/core';
import { ProviderTimeoutError } from './errors.js';
import { postJson } from './http.js';
import { batchTopN, rankResults } from './merge.js';
import type { ResolvedApiSettings } from './options.js';
import type { ScoredItem } from './response.js';
import { withRetries } from './retry.js';
import { linkSignals, raceSignal } from './signals.js';

/** What one request to a provider gets: a slice of the caller's documents. */
export interface BatchRequest {
  query: string;
  documents: string[];
  /** How many results to ask for (`top_n` / `top_k`); equals `documents.length` for all. */
  topN: number;
  /** Fires on the caller's abort, on the timeout, or when a sibling batch failed. */
  signal: AbortSignal;
  /** Undefined when the backend runs without a key (self-hosted servers). */
  apiKey: string | undefined;
}

/** Configuration that is safe to print: what `toJSON`, `toString` and `util.inspect` show. */
export interface ApiRerankerDescription {
  provider: string;
  model: string | undefined;
  baseUrl: string;
  batchSize: number;
  timeoutMs: number;
  maxRetries: number;
  hasApiKey: boolean;
}

/** Thrown into batches that are stopped because another batch already failed; never escapes. */
class SiblingFailed extends CrossrankError {}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Shared behaviour of the HTTP backends: argument checks, batching, per-request timeout, retries,
 * abort, merging the batches into one ranking. A subclass only says how one batch is sent and read.
 *
 * The API key lives in a private `#field` and reaches the subclass only per request, so it is not
 * an enumerable property: `JSON.stringify`, `util.inspect` and `String()` show `toJSON()` instead.
 */
export abstract class ApiReranker implements Reranker {
  readonly provider: string;
  readonly model: string | undefined;
  readonly baseUrl: string;
  protected readonly settings: ResolvedApiSettings;
  readonly #apiKey: string | undefined;

  protected constructor(init: {
    provider: string;
    model: string | undefined;
    baseUrl: string;
    settings: ResolvedApiSettings;
    apiKey: string | undefined;
  }) {
    this.provider = init.provider;
    this.model = init.model;
    this.baseUrl = init.baseUrl;
    this.settings = init.settings;
    this.#apiKey = init.apiKey;
  }

  /** Sends one batch (one attempt) and returns its validated, batch-relative scores. */
  protected abstract requestBatch(request: BatchRequest): Promise<ScoredItem[]>;

  /**
   * POSTs one batch's JSON `body` to `url` with this backend's key, response limit and `fetch`, and
   * the batch's signal: the one way every fetch-based backend talks to its server.
   */
  protected post(url: string, request: BatchRequest, body: unknown): Promise<unknown> {
    return postJson({
      provider: this.provider,
      url,
      apiKey: request.apiKey,
      signal: request.signal,
      fetch: this.settings.fetch,
      maxResponseBytes: this.settings.maxResponseBytes,
      body,
    });
  }

  async rerank(query: string, documents: readonly string[], options: RerankOptions = {}): Promise<RerankResult[]> {
    ({ query, documents, options } = snapshotRerankArgs(query, documents, options));
    const signal = options?.signal;
    throwIfAborted(signal);
    if (documents.length === 0 || options.topN === 0) return [];

    const { batchSize, concurrency } = this.settings;
    const starts: number[] = [];
    for (let start = 0; start < documents.length; start += batchSize) starts.push(start);

    // Stops the other batches (and their backoff sleeps) once one has failed for good.
    const siblings = new AbortController();
    const merged: RerankResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < starts.length) {
        const start = starts[next++]!;
        const slice = documents.slice(start, start + batchSize);
        const items = await this.runBatch(query, slice, batchTopN(options.topN, slice.length), signal, siblings.signal);
        for (const item of items) merged.push({ index: start + item.index, score: item.score });
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, starts.length) }, worker));
    } catch (error) {
      siblings.abort();
      throw error;
    }
    return rankResults(merged, options);
  }

  /** One batch with its retries; each attempt gets its own timeout. */
  private runBatch(
    query: string,
    documents: string[],
    topN: number,
    callerSignal: AbortSignal | undefined,
    siblingSignal: AbortSignal,
  ): Promise<ScoredItem[]> {
    const stopped = (): unknown => (callerSignal?.aborted ? abortError(callerSignal) : new SiblingFailed('stopped'));
    const batchSignal = linkSignals([callerSignal, siblingSignal]);
    return withRetries(
      () => this.attempt(query, documents, topN, callerSignal, batchSignal.signal, stopped),
      this.settings,
      batchSignal.signal,
      stopped,
    ).finally(() => batchSignal.dispose());
  }

  private async attempt(
    query: string,
    documents: string[],
    topN: number,
    callerSignal: AbortSignal | undefined,
    batchSignal: AbortSignal,
    stopped: () => unknown,
  ): Promise<ScoredItem[]> {
    const { timeoutMs } = this.settings;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const attemptSignal = linkSignals([batchSignal, timeout.signal]);
    // The caller's abort and the timeout win the race at once, whatever the transport does with
    // the signal; the request itself is cancelled through the same signal.
    const classify = (cause?: unknown): unknown =>
      batchSignal.aborted ? stopped() : timeout.signal.aborted ? new ProviderTimeoutError(this.provider, timeoutMs, { cause }) : cause;
    try {
      const request = this.requestBatch({ query, documents, topN, signal: attemptSignal.signal, apiKey: this.#apiKey });
      return await raceSignal(request, attemptSignal.signal, () => classify());
    } catch (error) {
      if (callerSignal?.aborted || batchSignal.aborted || timeout.signal.aborted) throw classify(error);
      throw error;
    } finally {
      clearTimeout(timer);
      attemptSignal.dispose();
    }
  }

  /** The safe-to-print configuration; never includes the key. */
  toJSON(): ApiRerankerDescription {
    return {
      provider: this.provider,
      model: this.model,
      baseUrl: this.baseUrl,
      batchSize: this.settings.batchSize,
      timeoutMs: this.settings.timeoutMs,
      maxRetries: this.settings.maxRetries,
      hasApiKey: this.#apiKey !== undefined,
    };
  }

  toString(): string {
    return `${this.constructor.name} ${JSON.stringify(this.toJSON())}`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}
