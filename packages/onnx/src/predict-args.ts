import { checkKnownKeys } from '@crossrank/core';
import { InvalidInputError } from './errors.js';
import { checkSignal, describe } from './ranking.js';

/** One (query, document) pair as `CrossEncoder.predict` takes it. */
export type PairInput = readonly [query: string, document: string];

/**
 * Validates `predict`'s pairs and copies them when the call starts: every slot is read once (holes
 * and sparse arrays included, which `forEach` would skip), so a caller changing the array or a
 * pair during the call cannot change what is scored or how many results come back.
 */
export function snapshotPairs(pairs: unknown): Array<[string, string]> {
  if (!Array.isArray(pairs)) throw new InvalidInputError(`pairs must be an array of [query, document] string pairs, got ${describe(pairs)}.`);
  const copy = Array.from(pairs as readonly unknown[]);
  return copy.map((pair, i) => {
    const items = Array.isArray(pair) ? Array.from(pair as readonly unknown[]) : undefined;
    if (!items || items.length !== 2 || typeof items[0] !== 'string' || typeof items[1] !== 'string') {
      throw new InvalidInputError(
        `pairs[${i}] must be a [query, document] pair of two strings, got ${pair === undefined && !(i in pairs) ? 'a hole (an empty slot)' : describe(pair)}.`,
      );
    }
    return [items[0], items[1]];
  });
}

/** `predict`'s options: undefined or an object whose `signal`, if any, is an AbortSignal. */
export function snapshotPredictOptions(options: unknown): { signal?: AbortSignal } {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw new InvalidInputError(`options must be an object, got ${describe(options)}.`);
  checkKnownKeys(options, ['signal'], 'predict options');
  const { signal } = options as { signal?: unknown };
  checkSignal(signal, 'options.signal');
  return signal === undefined ? {} : { signal };
}
