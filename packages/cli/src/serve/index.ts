/**
 * @crossrank/cli/serve: the rerank server behind `crossrank serve`, usable from code. One `Reranker`
 * behind the Cohere (`/v2/rerank`), Jina/vLLM (`/v1/rerank`) and TEI (`/rerank`) wire formats, with
 * `/health`, `/ready`, `/metrics`, a bounded queue, request limits, bearer auth and draining close.
 *
 * Depends on `node:http` and `@crossrank/core` only; it loads no model (pass any `Reranker`).
 */
export { createRerankServer, RERANK_SHAPES, type RerankServer, type RerankServerOptions } from './create-rerank-server.js';
export { DEFAULT_LIMITS, type ServeLimits } from './limits.js';
export { jsonLines, type RequestLogEntry, type RequestLogger } from './request-log.js';
export type { ServeMetrics } from './metrics.js';
export type { ParsedRerank, RerankShape } from './shapes/shape.js';
