// The example's in-memory store: the demo's 202 passages behind BM25, returning whole passage objects
// (what a vector store hands back), so rerank() gets object documents.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bm25Index } from '../demo/bm25.js';
import { loadCorpus, passageText, type Passage } from '../demo/corpus.js';

/**
 * A passage as rerank() takes it: a plain object type (a mapped type, not an interface), so it fits
 * the AI SDK's JSON object documents.
 */
export type StoredPassage = Pick<Passage, keyof Passage>;

export class InMemoryStore {
  readonly passages: readonly Passage[];
  private readonly index: Bm25Index;

  constructor(passages: readonly Passage[]) {
    this.passages = passages;
    this.index = new Bm25Index(passages.map(passageText));
  }

  /** The `k` passages BM25 ranks highest for `query`, best first. */
  search(query: string, k: number): StoredPassage[] {
    return this.index.search(query, k).map((hit) => this.passages[hit.index]!);
  }
}

export function loadStore(): InMemoryStore {
  const file = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'demo', 'data', 'passages.jsonl');
  return new InMemoryStore(loadCorpus(file));
}
