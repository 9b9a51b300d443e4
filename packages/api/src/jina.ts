import { ApiReranker, type BatchRequest } from './api-reranker.js';
import { nonEmptyString, resolveApiKey, resolveApiSettings, resolveBaseUrl, type ApiRerankerOptions, checkOptionsObject } from './options.js';
import { readScoredItems, type ScoredItem } from './response.js';

export const JINA_DEFAULT_BASE_URL = 'https://api.jina.ai';

export interface JinaRerankerOptions extends ApiRerankerOptions {
  /** Default: `JINA_API_KEY` (read only when `baseUrl` is Jina's own). Optional with a custom `baseUrl`. */
  apiKey?: string;
  /** Default `jina-reranker-v2-base-multilingual`. */
  model?: string;
  /** Default `https://api.jina.ai`; point it at vLLM or Infinity to use their Jina/Cohere-shaped endpoint. */
  baseUrl?: string;
  /** Endpoint path appended to `baseUrl`. Default `/v1/rerank` (Infinity without a URL prefix: `/rerank`). */
  path?: string;
}

/**
 * Jina AI's rerank API (`POST /v1/rerank`), a shape vLLM and Infinity also serve:
 * `{model, query, documents, top_n, return_documents}` in, `results[].{index, relevance_score}` out.
 */
export class JinaReranker extends ApiReranker {
  readonly #url: string;

  constructor(options: JinaRerankerOptions = {}) {
    const className = 'JinaReranker';
    checkOptionsObject(className, options, ['apiKey', 'model', 'baseUrl', 'path'] satisfies Array<keyof JinaRerankerOptions>);
    const baseUrl = resolveBaseUrl(className, options.baseUrl, JINA_DEFAULT_BASE_URL);
    const hosted = baseUrl === JINA_DEFAULT_BASE_URL;
    super({
      provider: 'Jina',
      model: nonEmptyString(className, 'model', options.model, 'jina-reranker-v2-base-multilingual'),
      baseUrl,
      settings: resolveApiSettings(className, options, { batchSize: 1000 }),
      apiKey: resolveApiKey({ provider: 'Jina', className, apiKey: options.apiKey, envVars: ['JINA_API_KEY'], useEnv: hosted, required: hosted }),
    });
    this.#url = baseUrl + normalizePath(options.path ?? '/v1/rerank');
  }

  protected async requestBatch(request: BatchRequest): Promise<ScoredItem[]> {
    const body = await this.post(this.#url, request, {
      model: this.model,
      query: request.query,
      documents: request.documents,
      top_n: request.topN,
      return_documents: false,
    });
    return readScoredItems(body, {
      provider: this.provider,
      listKey: 'results',
      scoreKey: 'relevance_score',
      batchLength: request.documents.length,
      minResults: request.topN,
    });
  }
}

function normalizePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}
