// @crossrank/ai-sdk: crossrank rerankers as Vercel AI SDK reranking models (`RerankingModelV4`, for
// `rerank()` from `ai` 7). ESM only, like `ai` 7.
//
// Depends on `@ai-sdk/provider` (the spec and its errors) and `@crossrank/core` (the `Reranker`
// contract and errors). The local engine is imported only when a model id or folder is first used
// (load-cross-encoder.ts). Not exported: the lazy loader, the error mapping and the document
// conversion, which are implementation details of `doRerank`.
export { createCrossrank, crossrank, type CrossrankProvider, type CrossrankProviderSettings, type CrossrankFromRerankerOptions } from './crossrank-provider.js';
export { CrossrankRerankingModel, type CrossrankRerankingModelConfig } from './crossrank-reranking-model.js';
export type { CrossrankProviderOptions, CrossrankRerankingModelId, CrossrankRerankingModelOptions } from './crossrank-reranking-model-options.js';
