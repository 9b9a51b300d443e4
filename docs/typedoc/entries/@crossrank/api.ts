/**
 * Hosted and self-hosted rerank APIs (Cohere, Jina, Voyage, Mixedbread, TEI; vLLM and Infinity through
 * the Cohere or Jina backends) behind the same `Reranker` contract.
 *
 * @module @crossrank/api
 */
export * from '@crossrank/api';
