// The `Reranker` contract lives in @crossrank/core.
export type { Reranker, RerankOptions, RerankResult } from '@crossrank/core';
