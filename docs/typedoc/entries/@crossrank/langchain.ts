/**
 * A local cross-encoder, or any `@crossrank/core` reranker, as a LangChain.js document compressor.
 *
 * @module @crossrank/langchain
 */
export * from '@crossrank/langchain';
