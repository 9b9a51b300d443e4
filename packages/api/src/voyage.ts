import { InvalidInputError } from '@crossrank/core';
import { ApiReranker, type BatchRequest } from './api-reranker.js';
import { nonEmptyString, resolveApiKey, resolveApiSettings, resolveBaseUrl, type ApiRerankerOptions, checkOptionsObject } from './options.js';
import { readScoredItems, type ScoredItem } from './response.js';

export const VOYAGE_DEFAULT_BASE_URL = 'https://api.voyageai.com';

export interface VoyageRerankerOptions extends ApiRerankerOptions {
  /** Default: `VOYAGE_API_KEY` (read only when `baseUrl` is Voyage's own). Optional with a custom `baseUrl`. */
  apiKey?: string;
  /** Default `rerank-2.5`. */
  model?: string;
  /** Default `https://api.voyageai.com`. */
  baseUrl?: string;
  /** Let Voyage truncate a query or document over the model's context instead of failing. Default true. */
  truncation?: boolean;
}

/**
 * Voyage AI's rerank API (`POST /v1/rerank`): `{query, documents, model, top_k, truncation}` in,
 * `data[].{index, relevance_score}` out. Voyage accepts at most 1,000 documents per request.
 */
export class VoyageReranker extends ApiReranker {
  readonly truncation: boolean;

  constructor(options: VoyageRerankerOptions = {}) {
    const className = 'VoyageReranker';
    checkOptionsObject(className, options, ['apiKey', 'model', 'baseUrl', 'truncation'] satisfies Array<keyof VoyageRerankerOptions>);
    const baseUrl = resolveBaseUrl(className, options.baseUrl, VOYAGE_DEFAULT_BASE_URL);
    const hosted = baseUrl === VOYAGE_DEFAULT_BASE_URL;
    super({
      provider: 'Voyage',
      model: nonEmptyString(className, 'model', options.model, 'rerank-2.5'),
      baseUrl,
      settings: resolveApiSettings(className, options, { batchSize: 1000 }),
      apiKey: resolveApiKey({ provider: 'Voyage', className, apiKey: options.apiKey, envVars: ['VOYAGE_API_KEY'], useEnv: hosted, required: hosted }),
    });
    if (options.truncation !== undefined && typeof options.truncation !== 'boolean') {
      throw new InvalidInputError(`${className}: options.truncation must be a boolean, got ${typeof options.truncation}.`);
    }
    this.truncation = options.truncation ?? true;
  }

  protected async requestBatch(request: BatchRequest): Promise<ScoredItem[]> {
    const body = await this.post(`${this.baseUrl}/v1/rerank`, request, {
      query: request.query,
      documents: request.documents,
      model: this.model,
      top_k: request.topN,
      truncation: this.truncation,
    });
    return readScoredItems(body, {
      provider: this.provider,
      listKey: 'data',
      scoreKey: 'relevance_score',
      batchLength: request.documents.length,
      minResults: request.topN,
    });
  }
}
