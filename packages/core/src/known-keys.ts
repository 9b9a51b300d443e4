import { UnknownOptionError } from './errors.js';

/**
 * The one rule for options objects everywhere crossrank takes them (load, rerank, adapters, API
 * backends, CLI flags): a key that is not an option is an error, naming the closest valid key. A
 * misspelt option silently ignored (`{ dytpe: 'q8' }` loading fp32) is worse than a failed call.
 *
 * @param options the caller's object (not changed; only its own enumerable string keys are read)
 * @param known every key the function takes
 * @param where how the message names the object, e.g. `'CrossEncoder.load options'`
 * @throws UnknownOptionError for the first unknown key
 *
 * @example
 * ```ts
 * checkKnownKeys(options, ['topN', 'scoreThreshold', 'signal'], 'rerank options');
 * ```
 */
export function checkKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = closestKey(key, known);
    const hint = suggestion === undefined ? '' : ` Did you mean ${JSON.stringify(suggestion)}?`;
    throw new UnknownOptionError(`${where} has an unknown option ${JSON.stringify(key)}.${hint} Known options: ${known.join(', ')}.`, key, suggestion);
  }
}

/**
 * The known key closest to `key` by edit distance (case-insensitive; a swap of two neighbours counts
 * as one edit, so `dytpe` is one edit from `dtype`), if it is close enough to be a typo: up to 40% of
 * the key's length in edits (`maxRetry` -> `maxRetries` is 3 of 8), at least one.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.ceil(key.length * 0.4));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1]!;
}
