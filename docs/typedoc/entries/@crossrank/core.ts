/**
 * The `Reranker` contract, the local `CrossEncoder` (ONNX Runtime) and the hosted rerank APIs.
 *
 * @module @crossrank/core
 */
export * from '@crossrank/core';
