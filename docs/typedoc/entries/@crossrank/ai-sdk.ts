/**
 * crossrank rerankers as Vercel AI SDK reranking models (`RerankingModelV4`), for `rerank()` from `ai` 7.
 *
 * @module @crossrank/ai-sdk
 */
export * from '@crossrank/ai-sdk';
