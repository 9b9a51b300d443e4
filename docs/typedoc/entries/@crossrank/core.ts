/**
 * The `Reranker` contract, the errors every crossrank package throws, the ranking helpers and
 * `FallbackReranker`. No runtime dependencies.
 *
 * @module @crossrank/core
 */
export * from '@crossrank/core';
