import { InvalidInputError, RerankAbortedError } from './errors.js';
import type { RerankOptions, RerankResult } from './reranker.js';

/**
 * Checks a rerank call's arguments without touching them. Every backend calls this first so bad
 * input fails the same way whatever serves it.
 */
export function validateRerankArgs(query: unknown, documents: unknown, options?: RerankOptions): void {
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
  validateRerankOptions(options);
}

/** Checks a rerank call's options alone (`topN`, `scoreThreshold`); `validateRerankArgs` calls it. */
export function validateRerankOptions(options?: RerankOptions): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') {
    throw new InvalidInputError(`options must be an object, got ${describe(options)}.`);
  }
  const { topN, scoreThreshold } = options;
  if (topN !== undefined && (!Number.isInteger(topN) || topN < 0)) {
    throw new InvalidInputError(`options.topN must be a non-negative integer, got ${describe(topN)}.`);
  }
  if (scoreThreshold !== undefined && (typeof scoreThreshold !== 'number' || Number.isNaN(scoreThreshold))) {
    throw new InvalidInputError(`options.scoreThreshold must be a number, got ${describe(scoreThreshold)}.`);
  }
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
  if (typeof value === 'string') return `a string`;
  return `${typeof value} ${String(value)}`;
}
