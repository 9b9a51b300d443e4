import { optionalBoolean, requireRecord, requireString, requireTexts, type RerankShape } from './shape.js';

/**
 * text-embeddings-inference's `POST /rerank` (router/src/http/types.rs `RerankRequest`): `{query, texts,
 * raw_scores, return_text, truncate}` in, a bare `[{index, score, text?}]` array out, best first, every
 * text scored (TEI has no top_n). `truncate` is accepted: the engine always cuts pairs to the model's
 * max length. `raw_scores: true` is served when the model's scores are raw logits (see `rawScores`).
 */
export const teiShape: RerankShape = {
  name: 'tei',
  path: '/rerank',
  parse(raw) {
    const body = requireRecord(raw);
    optionalBoolean(body, 'truncate', true);
    return {
      query: requireString(body, 'query'),
      documents: requireTexts(body, 'texts'),
      topN: undefined,
      returnDocuments: optionalBoolean(body, 'return_text', false),
      rawScores: optionalBoolean(body, 'raw_scores', false),
    };
  },
  format(results, request) {
    return results.map(({ index, score }) => ({ index, score, ...(request.returnDocuments ? { text: request.documents[index] } : {}) }));
  },
  errorBody: (status, message, extra) => ({ error: message, error_type: status === 429 || status === 503 ? 'Overloaded' : 'Validation', ...extra }),
};
