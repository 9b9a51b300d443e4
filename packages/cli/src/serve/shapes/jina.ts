import { optionalBoolean, optionalTopN, requireRecord, requireString, requireTexts, type RerankShape } from './shape.js';

/**
 * Jina's rerank (`POST /v1/rerank`, https://jina.ai/reranker), the shape vLLM, Infinity and llama.cpp
 * also serve: `{model, query, documents, top_n, return_documents}` in, `{model, usage, results: [{index,
 * relevance_score, document?}]}` out, best first. `return_documents` defaults to false here (vLLM
 * always echoes, Jina defaults to true; crossrank's own client sends false). Errors are vLLM's
 * `{error: {message, type, code}}`.
 */
export const jinaShape: RerankShape = {
  name: 'jina',
  path: '/v1/rerank',
  parse(raw) {
    const body = requireRecord(raw);
    return {
      query: requireString(body, 'query'),
      documents: requireTexts(body, 'documents'),
      topN: optionalTopN(body, 'top_n'),
      returnDocuments: optionalBoolean(body, 'return_documents', false),
    };
  },
  format(results, request, model) {
    return {
      model,
      usage: { total_tokens: 0 },
      results: results.map(({ index, score }) => ({
        index,
        relevance_score: score,
        ...(request.returnDocuments ? { document: { text: request.documents[index] } } : {}),
      })),
    };
  },
  errorBody: (status, message, extra) => ({ error: { message, type: status === 429 || status === 503 ? 'overloaded' : 'invalid_request_error', code: status, ...extra } }),
};
