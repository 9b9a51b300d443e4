import { InvalidInputError, RerankAbortedError } from './errors.js';
import { checkKnownKeys } from './known-keys.js';
import type { RerankOptions, RerankResult } from './reranker.js';

/**
 * Checks a rerank call's arguments without touching them. Every backend calls this first so bad
 * input fails the same way whatever serves it.
 */
export function validateRerankArgs(query: unknown, documents: unknown, options?: RerankOptions, range: ScoreRange = UNIT_SCORE_RANGE): void {
  if (typeof query !== 'string') {
    throw new InvalidInputError(`query must be a string, got ${describe(query)}.`);
  }
  if (!Array.isArray(documents)) {
    throw new InvalidInputError(`documents must be an array of strings, got ${describe(documents)}.`);
  }
  for (let i = 0; i < documents.length; i++) {
    if (typeof documents[i] !== 'string') {
      throw new InvalidInputError(
        `documents[${i}] must be a string, got ${describe(documents[i])}. Pass the text (e.g. a document's pageContent), not the object.`,
      );
    }
  }
  validateRerankOptions(options, range);
}

/** The scores a reranker can return; `scoreThreshold` outside them keeps everything or nothing, so it is a mistake. */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
}

/** API backends and sigmoid/softmax cross-encoders. */
export const UNIT_SCORE_RANGE: ScoreRange = Object.freeze({ min: 0, max: 1 });
/** Cross-encoders whose model declares an identity activation: raw logits. */
export const UNBOUNDED_SCORE_RANGE: ScoreRange = Object.freeze({ min: -Infinity, max: Infinity });

/** Every key of `RerankOptions`: a call with any other key fails (a typo would otherwise be ignored). */
export const RERANK_OPTION_KEYS: readonly string[] = Object.keys({ topN: true, scoreThreshold: true, signal: true } satisfies Record<keyof RerankOptions, true>);

/** Checks a rerank call's options alone (`topN`, `scoreThreshold`, `signal`); `validateRerankArgs` calls it. */
export function validateRerankOptions(options?: RerankOptions, range: ScoreRange = UNIT_SCORE_RANGE): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') {
    throw new InvalidInputError(`options must be an object, got ${describe(options)}.`);
  }
  checkKnownKeys(options, RERANK_OPTION_KEYS, 'rerank options');
  const { topN, scoreThreshold } = options;
  if (topN !== undefined && (!Number.isInteger(topN) || topN < 0)) {
    throw new InvalidInputError(`options.topN must be a non-negative integer, got ${describe(topN)}.`);
  }
  if (scoreThreshold !== undefined && (typeof scoreThreshold !== 'number' || !Number.isFinite(scoreThreshold) || scoreThreshold < range.min || scoreThreshold > range.max)) {
    const bounds = Number.isFinite(range.min) || Number.isFinite(range.max) ? `a number in [${range.min}, ${range.max}] (this reranker's scores are in [${range.min}, ${range.max}])` : 'a finite number';
    throw new InvalidInputError(`options.scoreThreshold must be ${bounds}, got ${describe(scoreThreshold)}.`);
  }
  checkSignal(options.signal, 'options.signal');
}

/** A signal that is not an `AbortSignal` would be silently ignored, so the call could not be aborted. */
export function checkSignal(signal: unknown, name: string): asserts signal is AbortSignal | undefined {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidInputError(`${name} must be an AbortSignal (e.g. AbortSignal.timeout(5000) or controller.signal), got ${describe(signal)}.`);
  }
}

/** A rerank call's arguments, copied when the call starts: later changes by the caller do not reach it. */
export interface RerankArgs {
  query: string;
  documents: readonly string[];
  options: RerankOptions;
}

/**
 * Validates a rerank call's arguments and takes a snapshot of them (the documents array and the
 * options' fields are read once, here). A caller that shortens or rewrites its array while the call
 * runs then cannot make the call read past the end or score different texts than it checked.
 */
export function snapshotRerankArgs(query: unknown, documents: unknown, options?: RerankOptions, range: ScoreRange = UNIT_SCORE_RANGE): RerankArgs {
  if (!Array.isArray(documents)) validateRerankArgs(query, documents, options, range);
  // Unknown keys are checked on the caller's object: the snapshot below keeps only the known ones.
  if (options !== null && typeof options === 'object') checkKnownKeys(options, RERANK_OPTION_KEYS, 'rerank options');
  const copy = Array.from(documents as readonly unknown[]);
  const picked = options === undefined || options === null || typeof options !== 'object' ? options : { topN: options.topN, scoreThreshold: options.scoreThreshold, signal: options.signal };
  validateRerankArgs(query, copy, picked, range);
  const { topN, scoreThreshold, signal } = picked ?? {};
  return {
    query: query as string,
    documents: copy as string[],
    options: { ...(topN !== undefined ? { topN } : {}), ...(scoreThreshold !== undefined ? { scoreThreshold } : {}), ...(signal !== undefined ? { signal } : {}) },
  };
}

/**
 * Turns per-document scores (in the caller's order) into the contract's ranking: threshold first,
 * then sort by score descending with ties kept in input order, then `topN`.
 */
export function rankScores(scores: ArrayLike<number>, options: RerankOptions = {}): RerankResult[] {
  const { topN, scoreThreshold } = options;
  const results: RerankResult[] = [];
  for (let index = 0; index < scores.length; index++) {
    const score = scores[index]!;
    if (scoreThreshold !== undefined && !(score >= scoreThreshold)) continue;
    results.push({ index, score });
  }
  results.sort((a, b) => b.score - a.score || a.index - b.index);
  return topN === undefined ? results : results.slice(0, topN);
}

/** Throws `RerankAbortedError` if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The `RerankAbortedError` for a fired signal, with the signal's reason as `cause`. */
export function abortError(signal: AbortSignal): RerankAbortedError {
  const reason: unknown = signal.reason;
  const detail = reason instanceof Error ? `: ${reason.message}` : '';
  return new RerankAbortedError(`The rerank call was aborted${detail}.`, { cause: reason });
}

/** Describes a bad value for an error message (`a string`, `number NaN`, `an object (Map)`), never echoing its content. Exported as `describeValue`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)})`;
  return `${typeof value} ${String(value)}`;
}
