/**
 * A small in-memory BM25 index: the "retrieve" half of retrieve-then-rerank, with no server and no
 * search library. It is deliberately plain (Okapi BM25 with Lucene's non-negative idf) so that what
 * the cross-encoder adds on top is easy to see.
 */
import { InvalidInputError } from '@crossrank/core';

export interface Bm25Options {
  /** Term-frequency saturation. */
  k1?: number;
  /** Length normalisation: 0 ignores document length, 1 normalises fully. */
  b?: number;
}

export interface Bm25Hit {
  /** Index into the documents the index was built from. */
  index: number;
  score: number;
}

// Words that carry no topic in questions like "How does Docker networking work?". Kept short on
// purpose: BM25's idf already discounts common words; this only removes question scaffolding.
const STOPWORDS = new Set(
  ('a an and are as at be but by can do does for from how i if in into is it its me my not of on or ' +
    'so than that the their then there these they this to was we what when where which who why will with you your').split(' '),
);

/**
 * A light suffix stripper, so "networking", "networks" and "network" meet, as do "cache", "cached"
 * and "caching". It only has to be consistent between queries and documents, not linguistically right.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:s|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is|as)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length - 3 >= 3) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length - 2 >= 3) w = w.slice(0, -2);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** Lower-cased letter/digit runs, stop words dropped, stemmed. */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => !STOPWORDS.has(w)).map(stem);
}

export class Bm25Index {
  readonly size: number;
  private readonly k1: number;
  private readonly b: number;
  private readonly lengths: Float64Array;
  private readonly avgLength: number;
  /** term -> [document index, term frequency] pairs, in document order. */
  private readonly postings = new Map<string, Array<[number, number]>>();

  constructor(documents: readonly string[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (!(this.k1 >= 0) || !(this.b >= 0 && this.b <= 1)) {
      throw new InvalidInputError(`BM25 needs k1 >= 0 and 0 <= b <= 1, got k1=${this.k1}, b=${this.b}.`);
    }
    this.size = documents.length;
    this.lengths = new Float64Array(documents.length);
    documents.forEach((doc, i) => {
      const terms = tokenize(doc);
      this.lengths[i] = terms.length;
      const counts = new Map<string, number>();
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, tf] of counts) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = []));
        list.push([i, tf]);
      }
    });
    const total = this.lengths.reduce((sum, n) => sum + n, 0);
    this.avgLength = documents.length > 0 ? total / documents.length : 0;
  }

  /**
   * The `k` best documents for `query`, best first, ties by document order. Documents sharing no
   * term with the query are never returned, so fewer than `k` hits can come back. Each distinct query
   * term counts once.
   */
  search(query: string, k: number): Bm25Hit[] {
    if (!Number.isInteger(k) || k < 1) throw new InvalidInputError(`k must be a positive integer, got ${k}.`);
    const scores = new Map<number, number>();
    for (const term of new Set(tokenize(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      // Lucene's idf: never negative, even for terms in most documents.
      const idf = Math.log(1 + (this.size - list.length + 0.5) / (list.length + 0.5));
      for (const [doc, tf] of list) {
        const norm = this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + norm));
      }
    }
    return [...scores]
      .map(([index, score]) => ({ index, score }))
      .sort((x, y) => y.score - x.score || x.index - y.index)
      .slice(0, k);
  }
}
