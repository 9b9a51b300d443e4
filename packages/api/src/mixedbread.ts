import { ApiReranker, type BatchRequest } from './api-reranker.js';
import { nonEmptyString, resolveApiKey, resolveApiSettings, resolveBaseUrl, type ApiRerankerOptions, checkOptionsObject } from './options.js';
import { readScoredItems, type ScoredItem } from './response.js';

export const MIXEDBREAD_DEFAULT_BASE_URL = 'https://api.mixedbread.com';

export interface MixedbreadRerankerOptions extends ApiRerankerOptions {
  /** Default: `MXBAI_API_KEY` (read only when `baseUrl` is Mixedbread's own). Optional with a custom `baseUrl`. */
  apiKey?: string;
  /** Default `mixedbread-ai/mxbai-rerank-large-v2`. */
  model?: string;
  /** Default `https://api.mixedbread.com`. */
  baseUrl?: string;
}

/**
 * Mixedbread's reranking API (`POST /v1/reranking`): `{model, query, input, top_k, return_input}` in,
 * `data[].{index, score}` out. `top_k` is always sent because the API's own default is a small
 * number, which would silently drop documents.
 */
export class MixedbreadReranker extends ApiReranker {
  constructor(options: MixedbreadRerankerOptions = {}) {
    const className = 'MixedbreadReranker';
    checkOptionsObject(className, options, ['apiKey', 'model', 'baseUrl'] satisfies Array<keyof MixedbreadRerankerOptions>);
    const baseUrl = resolveBaseUrl(className, options.baseUrl, MIXEDBREAD_DEFAULT_BASE_URL);
    const hosted = baseUrl === MIXEDBREAD_DEFAULT_BASE_URL;
    super({
      provider: 'Mixedbread',
      model: nonEmptyString(className, 'model', options.model, 'mixedbread-ai/mxbai-rerank-large-v2'),
      baseUrl,
      settings: resolveApiSettings(className, options, { batchSize: 1000 }),
      apiKey: resolveApiKey({ provider: 'Mixedbread', className, apiKey: options.apiKey, envVars: ['MXBAI_API_KEY'], useEnv: hosted, required: hosted }),
    });
  }

  protected async requestBatch(request: BatchRequest): Promise<ScoredItem[]> {
    const body = await this.post(`${this.baseUrl}/v1/reranking`, request, {
      model: this.model,
      query: request.query,
      input: request.documents,
      top_k: request.topN,
      return_input: false,
    });
    return readScoredItems(body, {
      provider: this.provider,
      listKey: 'data',
      scoreKey: 'score',
      batchLength: request.documents.length,
      minResults: request.topN,
    });
  }
}
