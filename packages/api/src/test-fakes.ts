// Test helper (not exported): local fakes of self-hosted rerank servers, each following its project's
// own source for routes, request validation, response shape, limits and error bodies. Documents carry
// their score ("s=0.42 ...", see test-protocols.ts) so a fake can answer any request.
import type { ServerResponse } from 'node:http';
import { scoreOf } from './test-protocols.js';
import { sendJson, startServer, type RecordedRequest, type TestServer } from './test-server.js';

export interface FakeOptions {
  /** Answer the first `n` requests with 429 and this `Retry-After` (seconds). */
  throttle?: { n: number; retryAfter: string };
  /** A bearer key the fake requires (the servers' `--api-key`). */
  apiKey?: string;
}

type Answer = (request: RecordedRequest, res: ServerResponse) => void;

function fake(routes: Record<string, Answer>, options: FakeOptions, unauthorized: (res: ServerResponse) => void): Promise<TestServer> {
  let throttled = 0;
  return startServer((request, res) => {
    if (options.throttle && throttled < options.throttle.n) {
      throttled++;
      return sendJson(res, 429, { error: { message: 'Too many requests', type: 'rate_limit', code: 429 } }, { 'retry-after': options.throttle.retryAfter });
    }
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) return unauthorized(res);
    const route = request.method === 'POST' ? routes[request.path] : undefined;
    if (!route) return sendJson(res, 404, { detail: 'Not Found' });
    route(request, res);
  });
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const byScore = <T extends { index: number }>(score: (item: T) => number) => (a: T, b: T) => score(b) - score(a) || a.index - b.index;

/**
 * vLLM (`vllm serve <reranker>`): `/rerank`, `/v1/rerank` (Jina-shaped) and `/v2/rerank` (Cohere-shaped)
 * are one handler (vllm/entrypoints/pooling/score/api_router.py). `RerankRequest`: `query`, `documents`,
 * `top_n` (default 0 = all), extra fields ignored; `RerankResponse`: `{id, model, usage: {total_tokens},
 * results: [{index, document: {text}, relevance_score}]}` sorted by score. Errors: `ErrorResponse`,
 * `{error: {message, type, param, code}}`.
 */
export function startVllm(options: FakeOptions & { maxModelLen?: number } = {}): Promise<TestServer> {
  const error = (res: ServerResponse, code: number, message: string, type = 'BadRequestError') =>
    sendJson(res, code, { error: { message, type, param: null, code } });
  const rerank: Answer = (request, res) => {
    const body = request.body;
    if (typeof body?.query !== 'string' || !isStringList(body.documents)) {
      return error(res, 400, '1 validation error for RerankRequest: query and documents are required');
    }
    const topN = body.top_n ?? 0;
    if (!Number.isInteger(topN)) return error(res, 400, 'top_n: Input should be a valid integer');
    const documents: string[] = body.documents;
    // A pair over the model's context fails the whole request (counted in characters here, tokens there).
    const longest = Math.max(0, ...documents.map((d) => body.query.length + d.length));
    if (options.maxModelLen !== undefined && longest > options.maxModelLen) {
      return error(
        res,
        400,
        `This model's maximum context length is ${options.maxModelLen} tokens. However, you requested ${longest} tokens in the input for embedding generation. Please reduce the length of the input.`,
      );
    }
    const results = documents
      .map((text, index) => ({ index, document: { text }, relevance_score: scoreOf(text) }))
      .sort(byScore((r) => r.relevance_score));
    sendJson(res, 200, {
      id: 'rerank-7d1f',
      model: body.model ?? 'BAAI/bge-reranker-v2-m3',
      usage: { total_tokens: documents.length * 12 },
      results: topN > 0 ? results.slice(0, topN) : results,
    });
  };
  return fake({ '/rerank': rerank, '/v1/rerank': rerank, '/v2/rerank': rerank }, options, (res) =>
    error(res, 401, 'Unauthorized', 'Unauthorized'),
  );
}

/** Infinity's documents limit per request (`ITEMS_LIMIT` in fastapi_schemas/pymodels.py). */
export const INFINITY_MAX_DOCUMENTS = 2048;

/**
 * Infinity (`infinity_emb v2`): `POST /rerank` (under `--url-prefix`, e.g. `/v1/rerank`). `RerankInput`:
 * `query`, `documents` (1 to 2,048 strings), `return_documents`, `raw_scores`, `model`, `top_n` (> 0 or
 * null). `ReRankResult`: `{object: "rerank", results: [{relevance_score, index, document?}], model,
 * usage, id, created}`. Validation errors are FastAPI's 422 `{detail: [{type, loc, msg, input}]}`;
 * its own errors `{error: {message, type, param, code}}` (fastapi_schemas/errors.py).
 */
export function startInfinity(options: FakeOptions & { prefix?: string } = {}): Promise<TestServer> {
  const invalid = (res: ServerResponse, loc: string[], msg: string) => sendJson(res, 422, { detail: [{ type: 'value_error', loc: ['body', ...loc], msg, input: null }] });
  const rerank: Answer = (request, res) => {
    const body = request.body;
    if (typeof body?.query !== 'string') return invalid(res, ['query'], 'Field required');
    if (!isStringList(body.documents)) return invalid(res, ['documents'], 'Input should be a valid list');
    if (body.documents.length < 1 || body.documents.length > INFINITY_MAX_DOCUMENTS) {
      return invalid(res, ['documents'], `List should have at most ${INFINITY_MAX_DOCUMENTS} items after validation, not ${body.documents.length}`);
    }
    if (body.top_n !== undefined && body.top_n !== null && !(Number.isInteger(body.top_n) && body.top_n > 0)) {
      return invalid(res, ['top_n'], 'Input should be greater than 0');
    }
    if (body.model !== undefined && body.model !== 'mixedbread-ai/mxbai-rerank-xsmall-v1') {
      return sendJson(res, 400, { error: { message: `Invalid model: ${String(body.model)}`, type: null, param: null, code: 400 } });
    }
    const documents: string[] = body.documents;
    const results = documents.map((text, index) => ({ relevance_score: scoreOf(text), index })).sort(byScore((r) => r.relevance_score));
    sendJson(res, 200, {
      object: 'rerank',
      results: body.top_n ? results.slice(0, body.top_n) : results,
      model: 'mixedbread-ai/mxbai-rerank-xsmall-v1',
      usage: { prompt_tokens: documents.length, total_tokens: documents.length },
      id: 'infinity-5b2c',
      created: 1765100000,
    });
  };
  return fake({ [`${options.prefix ?? ''}/rerank`]: rerank }, options, (res) =>
    sendJson(res, 401, { error: { message: 'Unauthorized', type: null, param: null, code: 401 } }),
  );
}

/**
 * llama.cpp's `llama-server --rerank`: `POST /v1/rerank` (also `/rerank`, `/v1/reranking`). Reads
 * `query`, `documents` (or TEI's `texts`), `top_n` (default: all); answers `{model, object, usage,
 * results: [{index, relevance_score}]}` sorted by score and cut to `top_n`, scores being the model's
 * raw output (here the document's own number, read as a logit). Errors: `{error: {code, message, type}}`.
 */
export function startLlamaServer(options: FakeOptions & { loadingFor?: number } = {}): Promise<TestServer> {
  let loading = options.loadingFor ?? 0;
  const error = (res: ServerResponse, code: number, message: string, type: string) => sendJson(res, code, { error: { code, message, type } });
  const rerank: Answer = (request, res) => {
    if (loading > 0) {
      loading--;
      return error(res, 503, 'Loading model', 'unavailable_error');
    }
    const body = request.body;
    const documents = body?.documents ?? body?.texts;
    if (typeof body?.query !== 'string') return error(res, 400, '"query" must be provided', 'invalid_request_error');
    if (!isStringList(documents) || documents.length === 0) return error(res, 400, '"documents" must be a non-empty string array', 'invalid_request_error');
    const topN: number = body.top_n ?? documents.length;
    const results = documents.map((text, index) => ({ index, relevance_score: scoreOf(text) })).sort(byScore((r) => r.relevance_score));
    sendJson(res, 200, {
      model: body.model ?? 'jina-reranker-v1-tiny-en',
      object: 'list',
      usage: { prompt_tokens: documents.length * 9, total_tokens: documents.length * 9 },
      results: results.slice(0, Math.min(topN, results.length)),
    });
  };
  return fake({ '/v1/rerank': rerank, '/rerank': rerank, '/v1/reranking': rerank }, options, (res) =>
    error(res, 401, 'Invalid API Key', 'authentication_error'),
  );
}

/**
 * Hugging Face Inference text-ranking (router `hf-inference/models/<id>` or a dedicated endpoint, TEI
 * behind both): `{inputs: {query, texts}}` in, `[{index, score}]` out, sorted by score. A cold model
 * answers 503 `{error, estimated_time}`; errors are `{error, error_type}`.
 */
export function startHuggingFace(options: FakeOptions & { path?: string; coldFor?: number; maxBatch?: number } = {}): Promise<TestServer> {
  let cold = options.coldFor ?? 0;
  const rank: Answer = (request, res) => {
    if (cold > 0) {
      cold--;
      return sendJson(res, 503, { error: 'Model BAAI/bge-reranker-v2-m3 is currently loading', estimated_time: 0.01 });
    }
    const inputs = request.body?.inputs;
    if (typeof inputs?.query !== 'string' || !isStringList(inputs.texts)) {
      return sendJson(res, 400, { error: 'Input validation error: `inputs` must contain a `query` and `texts`', error_type: 'Validation' });
    }
    const max = options.maxBatch ?? 32;
    if (inputs.texts.length > max) {
      return sendJson(res, 422, { error: `batch size ${inputs.texts.length} > maximum allowed batch size ${max}`, error_type: 'Validation' });
    }
    const texts: string[] = inputs.texts;
    sendJson(res, 200, texts.map((text, index) => ({ index, score: scoreOf(text) })).sort(byScore((r) => r.score)));
  };
  return fake({ [options.path ?? '/']: rank }, options, (res) => sendJson(res, 401, { error: 'Invalid credentials in Authorization header' }));
}
