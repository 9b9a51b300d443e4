import { ProviderResponseError } from './errors.js';

/** One score as a backend reports it: `index` is relative to the batch that was sent. */
export interface ScoredItem {
  index: number;
  score: number;
}

export interface ReadItemsSpec {
  provider: string;
  /** Key of the result list in the body (`'results'`, `'data'`), or null for a bare array (TEI). */
  listKey: string | null;
  /** Key of the score in each item. */
  scoreKey: string;
  /** Documents in the batch: every index must be below it. */
  batchLength: number;
  /** Fewest results acceptable: the batch length, or `top_n` when one was sent. */
  minResults: number;
  /** Applied to each score before the range check (e.g. sigmoid for raw logits). */
  transform?: (score: number) => number;
}

/** Scores a hair outside [0, 1] from float rounding are clamped; anything further is an error. */
const SCORE_TOLERANCE = 1e-6;

/**
 * Validates a rerank response and returns its items. Results are taken by their `index`, never by
 * position, so every index must be an integer in range and appear at most once, and no document may
 * go missing (a server that ignores `top_n` and returns more is fine).
 */
export function readScoredItems(body: unknown, spec: ReadItemsSpec): ScoredItem[] {
  const { provider, listKey, scoreKey, batchLength } = spec;
  const fail = (what: string): never => {
    throw new ProviderResponseError(
      provider,
      `${provider} returned an unusable rerank response: ${what}. Check that baseUrl points at a ${provider}-compatible rerank endpoint.`,
    );
  };
  const list = listKey === null ? body : isRecord(body) ? body[listKey] : undefined;
  if (!Array.isArray(list)) {
    fail(listKey === null ? `expected a JSON array, got ${kind(body)}` : `expected "${listKey}" to be an array, got ${kind(isRecord(body) ? body[listKey] : body)}`);
  }
  const items = list as unknown[];
  if (items.length > batchLength) fail(`${items.length} results for ${batchLength} documents`);
  if (items.length < spec.minResults) {
    fail(`${items.length} results where ${spec.minResults} were expected (some documents are missing)`);
  }
  const seen = new Set<number>();
  return items.map((item, position) => {
    if (!isRecord(item)) fail(`result ${position} is ${kind(item)}, not an object`);
    const { index } = item as Record<string, unknown>;
    const raw = (item as Record<string, unknown>)[scoreKey];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= batchLength) {
      fail(`result ${position} has index ${JSON.stringify(index)}, not an integer in [0, ${batchLength - 1}]`);
    }
    if (seen.has(index as number)) fail(`index ${index as number} appears more than once`);
    seen.add(index as number);
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      fail(`result ${position} has ${scoreKey} ${JSON.stringify(raw)}, not a finite number`);
    }
    const score = spec.transform ? spec.transform(raw as number) : (raw as number);
    if (!(score >= -SCORE_TOLERANCE && score <= 1 + SCORE_TOLERANCE)) {
      fail(`result ${position} has ${scoreKey} ${raw as number}, outside [0, 1] (is the server returning raw logits?)`);
    }
    return { index: index as number, score: Math.min(1, Math.max(0, score)) };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
