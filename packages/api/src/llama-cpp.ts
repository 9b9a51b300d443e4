import { sigmoid } from '@crossrank/core';
import { ApiReranker, type BatchRequest } from './api-reranker.js';
import { checkOptionsObject, nonEmptyString, resolveApiKey, resolveApiSettings, resolveBaseUrl, type ApiRerankerOptions } from './options.js';
import { readScoredItems, type ScoredItem } from './response.js';

export interface LlamaCppRerankerOptions extends ApiRerankerOptions {
  /** Where `llama-server --rerank` listens, e.g. `http://localhost:8080`. Required. */
  baseUrl: string;
  /** The server's `--api-key`, if it was started with one. Default: `LLAMA_API_KEY`, else no key. */
  apiKey?: string;
  /** Sent as `model` (llama-server serves the one model it loaded and echoes the name). Optional. */
  model?: string;
  /**
   * Documents per request. Default 128: llama-server has no per-request document limit, but it
   * scores each document as one sequence over its `--parallel` slots, so a long list is one long
   * request; smaller batches keep each under `timeoutMs` on a CPU server.
   */
  batchSize?: number;
}

/**
 * llama.cpp's `llama-server` started with `--rerank` (formerly `--reranking`): `POST /v1/rerank`
 * with `{query, documents, top_n}` in, `{model, object, usage, results: [{index, relevance_score}]}`
 * out, sorted by score and cut to `top_n` (ggml-org/llama.cpp `tools/server/server.cpp`
 * `handle_rerank`, `format_response_rerank` in `tools/server/utils.hpp`, later `server-common.cpp`).
 *
 * Its `relevance_score` is the model's raw output (the rank-pooled classifier logit), unbounded in
 * both directions, so scores are mapped into crossrank's [0, 1] with the sigmoid, in double
 * precision, rather than rejected: the order is kept, and a bge/jina reranker's score becomes the
 * same number sentence-transformers would print for it.
 *
 * @example
 * const llama = new LlamaCppReranker({ baseUrl: 'http://localhost:8080' });
 * const top = await llama.rerank('capital of France?', passages, { topN: 3 });
 */
export class LlamaCppReranker extends ApiReranker {
  constructor(options: LlamaCppRerankerOptions) {
    const className = 'LlamaCppReranker';
    checkOptionsObject(className, options, ['apiKey', 'model', 'baseUrl', 'batchSize'] satisfies Array<keyof LlamaCppRerankerOptions>);
    super({
      provider: 'llama.cpp',
      model: options.model === undefined ? undefined : nonEmptyString(className, 'model', options.model, ''),
      baseUrl: resolveBaseUrl(className, options.baseUrl),
      settings: resolveApiSettings(className, options, { batchSize: 128 }),
      // Always self-hosted, so its own variable is safe to read for whatever baseUrl says.
      apiKey: resolveApiKey({ provider: 'llama.cpp', className, apiKey: options.apiKey, envVars: ['LLAMA_API_KEY'], useEnv: true, required: false }),
    });
  }

  // https://github.com/ggml-org/llama.cpp/tree/master/tools/server#post-reranking-rerank-documents-according-to-a-given-query
  protected async requestBatch(request: BatchRequest): Promise<ScoredItem[]> {
    const body = await this.post(`${this.baseUrl}/v1/rerank`, request, {
      ...(this.model === undefined ? {} : { model: this.model }),
      query: request.query,
      documents: request.documents,
      top_n: request.topN,
    } satisfies LlamaCppRerankRequest);
    return readScoredItems(body, {
      provider: this.provider,
      listKey: 'results',
      scoreKey: 'relevance_score',
      batchLength: request.documents.length,
      minResults: request.topN,
      transform: sigmoid,
    });
  }
}

/** The body llama-server's rerank handler reads (`json_value(body, "top_n", documents.size())`). */
interface LlamaCppRerankRequest {
  model?: string;
  query: string;
  documents: string[];
  top_n: number;
}
