/** One ranked document: `index` points into the caller's `documents` array. */
export interface RerankResult {
  index: number;
  /** Relevance in [0, 1]; higher is more relevant. */
  score: number;
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
