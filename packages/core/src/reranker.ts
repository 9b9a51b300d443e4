/** One ranked document: `index` points into the caller's `documents` array. */
export interface RerankResult {
  index: number;
  /**
   * Relevance; higher is more relevant. API backends: in [0, 1]. A local cross-encoder: what
   * sentence-transformers gives for the model (its config's activation): in [0, 1] for sigmoid and
   * softmax models, raw logits for models that declare Identity (e.g. ms-marco-MiniLM-L-6-v2).
   * Load it with `activation: 'sigmoid'` for [0, 1] from any model.
   */
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
  /** Drop results whose score is below this value (applied before `topN`), on the reranker's scale (see `RerankResult.score`). */
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
