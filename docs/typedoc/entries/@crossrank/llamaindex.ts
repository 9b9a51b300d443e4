/**
 * A local cross-encoder, or any `@crossrank/core` reranker, as a LlamaIndex.TS node postprocessor.
 *
 * @module @crossrank/llamaindex
 */
export * from '@crossrank/llamaindex';
