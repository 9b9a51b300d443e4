import { optionalTopN, requireRecord, requireString, requireTexts, type RerankShape } from './shape.js';

/**
 * Cohere's v2 rerank (`POST /v2/rerank`, https://docs.cohere.com/reference/rerank): `{model, query,
 * documents, top_n, max_tokens_per_doc}` in, `{id, results: [{index, relevance_score}], meta}` out, best
 * first. The official `cohere-ai` client and crossrank's `CohereReranker` read it unchanged. `model`
 * and `max_tokens_per_doc` are accepted and ignored: the server has one model and its own max length.
 */
export const cohereShape: RerankShape = {
  name: 'cohere',
  path: '/v2/rerank',
  parse(raw) {
    const body = requireRecord(raw);
    return { query: requireString(body, 'query'), documents: requireTexts(body, 'documents'), topN: optionalTopN(body, 'top_n'), returnDocuments: false };
  },
  format(results, _request, _model) {
    return {
      id: `crossrank-${Date.now().toString(36)}`,
      results: results.map(({ index, score }) => ({ index, relevance_score: score })),
      meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } },
    };
  },
  errorBody: (_status, message, extra) => ({ message, ...extra }),
};
