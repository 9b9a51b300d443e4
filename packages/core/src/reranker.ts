/** One ranked document: `index` points into the caller's `documents` array. */
export interface RerankResult {
  index: number;
  /** Relevance; higher is more relevant (in [0, 1] for API backends and sigmoid/softmax cross-encoders). */
  score: number;
  /**
   * Local cross-encoder with `longDocuments: 'split'` only: the best-scoring window, as character
   * offsets into the document (`documents[index].slice(span.start, span.end)`).
   */
  span?: { start: number; end: number };
}

export interface RerankOptions {
  /** Keep at most this many results (after `scoreThreshold`). Default: all. */
  topN?: number;
  /** Drop results whose score is below this value (applied before `topN`). */
  scoreThreshold?: number;
  /** Aborts the call; the promise rejects with `RerankAbortedError`. */
  signal?: AbortSignal;
}

/**
 * The one contract every backend implements, local or remote. Results are sorted by score
 * descending, ties broken by the original index; `scoreThreshold` is applied before `topN`.
 */
export interface Reranker {
  rerank(query: string, documents: readonly string[], options?: RerankOptions): Promise<RerankResult[]>;
}
