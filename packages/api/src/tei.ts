import { InvalidInputError } from '@crossrank/core';
import { sigmoid } from '@crossrank/core';
import { ApiReranker, type BatchRequest } from './api-reranker.js';
import { resolveApiKey, resolveApiSettings, resolveBaseUrl, type ApiRerankerOptions, checkOptionsObject } from './options.js';
import { readScoredItems, type ScoredItem } from './response.js';

export interface TeiRerankerOptions extends ApiRerankerOptions {
  /** Where TEI (or a load balancer in front of several) listens, e.g. `http://tei:8080`. Required. */
  baseUrl: string;
  /** TEI's `--api-key`, if it was started with one. Default: `TEI_API_KEY`, else no key. */
  apiKey?: string;
  /**
   * Texts per request. Default 32, TEI's default `--max-client-batch-size`; raise it to match a
   * server started with a larger one (TEI answers 422 beyond its limit).
   */
  batchSize?: number;
  /** Let TEI cut texts longer than the model's maximum instead of failing. Default true. */
  truncate?: boolean;
  /** Ask TEI for raw logits and apply the sigmoid here, in double precision. Default false. */
  rawScores?: boolean;
}

/**
 * Hugging Face text-embeddings-inference's `/rerank` route: `{query, texts, raw_scores, return_text,
 * truncate}` in, a bare `[{index, score}]` array out. TEI has no `top_n`, so every batch returns all
 * of its scores and `topN` is applied here.
 */
export class TeiReranker extends ApiReranker {
  readonly truncate: boolean;
  readonly rawScores: boolean;

  constructor(options: TeiRerankerOptions) {
    const className = 'TeiReranker';
    checkOptionsObject(className, options, ['baseUrl', 'apiKey', 'batchSize', 'truncate', 'rawScores'] satisfies Array<keyof TeiRerankerOptions>);
    if (options === null || typeof options !== 'object') {
      throw new InvalidInputError(`${className} needs options with a baseUrl, e.g. new TeiReranker({ baseUrl: "http://localhost:8080" }).`);
    }
    super({
      provider: 'TEI',
      model: undefined,
      baseUrl: resolveBaseUrl(className, options.baseUrl),
      settings: resolveApiSettings(className, options, { batchSize: 32 }),
      // TEI is always self-hosted, so its own variable is safe to read for whatever baseUrl says.
      apiKey: resolveApiKey({ provider: 'TEI', className, apiKey: options.apiKey, envVars: ['TEI_API_KEY'], useEnv: true, required: false }),
    });
    for (const name of ['truncate', 'rawScores'] as const) {
      if (options[name] !== undefined && typeof options[name] !== 'boolean') {
        throw new InvalidInputError(`${className}: options.${name} must be a boolean, got ${typeof options[name]}.`);
      }
    }
    this.truncate = options.truncate ?? true;
    this.rawScores = options.rawScores ?? false;
  }

  protected async requestBatch(request: BatchRequest): Promise<ScoredItem[]> {
    const body = await this.post(`${this.baseUrl}/rerank`, request, {
      query: request.query,
      texts: request.documents,
      raw_scores: this.rawScores,
      return_text: false,
      truncate: this.truncate,
    });
    return readScoredItems(body, {
      provider: this.provider,
      listKey: null,
      scoreKey: 'score',
      batchLength: request.documents.length,
      // No top_n on the wire: TEI must score every text it was sent.
      minResults: request.documents.length,
      transform: this.rawScores ? sigmoid : undefined,
    });
  }
}
