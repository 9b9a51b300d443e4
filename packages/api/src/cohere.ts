import { CohereClientV2, CohereError, CohereTimeoutError } from 'cohere-ai';
import { CrossrankError, describeValue as describe, InvalidInputError } from '@crossrank/core';
import { ApiReranker, type BatchRequest } from './api-reranker.js';
import { createCohereFetcher, unwrapCohereBody } from './cohere-fetcher.js';
import { ProviderHttpError, ProviderNetworkError, ProviderResponseError, ProviderTimeoutError } from './errors.js';
import { errorMessageFromBody } from './http.js';
import { scrub } from './redact.js';
import {
  nonEmptyString,
  optionalPositiveInteger,
  resolveApiKey,
  resolveApiSettings,
  resolveBaseUrl,
  type ApiRerankerOptions,
  checkOptionsObject,
} from './options.js';
import { readScoredItems, type ScoredItem } from './response.js';
import { parseRetryAfter } from './retry.js';

export const COHERE_DEFAULT_BASE_URL = 'https://api.cohere.com';

export interface CohereRerankerOptions extends ApiRerankerOptions {
  /**
   * Default: `COHERE_API_KEY`, then `CO_API_KEY` (read only for Cohere's own host). Optional with a
   * custom `baseUrl` (e.g. vLLM without `--api-key`).
   */
  apiKey?: string;
  /** Default `rerank-v3.5`. */
  model?: string;
  /** A Cohere-compatible server; `/v2/rerank` is appended (vLLM serves it). Default Cohere's API. */
  baseUrl?: string;
  /** Cohere's `max_tokens_per_doc` (server default 4096). */
  maxTokensPerDoc?: number;
  /**
   * Your own configured client. Its own retries are turned off per request (this class retries), and
   * its key and base URL are used, so `apiKey` and `baseUrl` must not be passed with it.
   */
  client?: CohereClientV2;
}

/**
 * Cohere's v2 rerank API through the official `cohere-ai` SDK. The SDK's retries are disabled and
 * its errors mapped to crossrank's, so timeouts, retries, abort and error types behave exactly like
 * the fetch-based backends. Cohere recommends at most 1,000 documents per request (`batchSize`).
 */
export class CohereReranker extends ApiReranker {
  readonly maxTokensPerDoc: number | undefined;
  // Private: the client holds the key in plain properties, which util.inspect would print.
  readonly #client: CohereClientV2;

  constructor(options: CohereRerankerOptions = {}) {
    const className = 'CohereReranker';
    checkOptionsObject(className, options, ['apiKey', 'model', 'baseUrl', 'maxTokensPerDoc', 'client'] satisfies Array<keyof CohereRerankerOptions>);
    const { client } = options;
    if (client !== undefined) {
      if (client === null || typeof client !== 'object' || typeof (client as { rerank?: unknown }).rerank !== 'function') {
        throw new InvalidInputError(`${className}: options.client must be a CohereClientV2 from cohere-ai, got ${describe(client)}.`);
      }
      if (options.apiKey !== undefined || options.baseUrl !== undefined) {
        throw new InvalidInputError(
          `${className}: pass either options.client or apiKey/baseUrl, not both; configure the key and URL on your CohereClientV2 ({ token, baseUrl }).`,
        );
      }
    }
    const baseUrl = client ? '(custom client)' : resolveBaseUrl(className, options.baseUrl, COHERE_DEFAULT_BASE_URL);
    const hosted = baseUrl === COHERE_DEFAULT_BASE_URL;
    const apiKey = client
      ? undefined
      : resolveApiKey({
          provider: 'Cohere',
          className,
          apiKey: options.apiKey,
          envVars: ['COHERE_API_KEY', 'CO_API_KEY'],
          useEnv: hosted,
          required: hosted,
        });
    const settings = resolveApiSettings(className, options, { batchSize: 1000 });
    super({ provider: 'Cohere', model: nonEmptyString(className, 'model', options.model, 'rerank-v3.5'), baseUrl, settings, apiKey });
    this.maxTokensPerDoc = optionalPositiveInteger(className, 'maxTokensPerDoc', options.maxTokensPerDoc);
    this.#client =
      client ??
      new CohereClientV2({
        // An empty token makes the SDK send no Authorization header and skip CO_API_KEY, which must
        // not leak to a custom baseUrl.
        token: apiKey ?? '',
        baseUrl,
        maxRetries: 0,
        clientName: 'crossrank',
        fetcher: createCohereFetcher(settings.fetch, settings.maxResponseBytes),
      });
  }

  protected async requestBatch(request: BatchRequest): Promise<ScoredItem[]> {
    let response: unknown;
    try {
      response = await this.#client.rerank(
        {
          model: this.model!,
          query: request.query,
          documents: request.documents,
          topN: request.topN,
          ...(this.maxTokensPerDoc !== undefined ? { maxTokensPerDoc: this.maxTokensPerDoc } : {}),
        },
        { abortSignal: request.signal, maxRetries: 0, timeoutInSeconds: this.settings.timeoutMs / 1000 },
      );
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw this.mapError(error, request.apiKey);
    }
    // The SDK renames relevance_score to relevanceScore; a body our fetcher kept from it has not.
    const body = unwrapCohereBody(response);
    return readScoredItems(body, {
      provider: this.provider,
      listKey: 'results',
      scoreKey: body === response ? 'relevanceScore' : 'relevance_score',
      batchLength: request.documents.length,
      minResults: request.topN,
    });
  }

  /** SDK errors → crossrank's, so retries and callers see one vocabulary for every backend. */
  private mapError(error: unknown, apiKey: string | undefined): unknown {
    if (error instanceof CohereTimeoutError) {
      return new ProviderTimeoutError(this.provider, this.settings.timeoutMs, { cause: error });
    }
    if (error instanceof CrossrankError) return error;
    if (!(error instanceof CohereError)) {
      // Anything else comes from the SDK itself (its response parser, a custom client): still the
      // provider's failure as far as the caller can tell, and typed as one.
      return new ProviderResponseError(
        this.provider,
        `Cohere's SDK could not use the answer from ${this.baseUrl}/v2/rerank: ${scrub(error instanceof Error ? error.message : String(error), apiKey)}. Check that baseUrl points at a Cohere-compatible /v2/rerank endpoint.`,
      );
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 200 && status < 300) {
      // Only a 2xx body that is not JSON gets here (reason "non-json").
      return new ProviderResponseError(
        this.provider,
        `Cohere answered ${this.baseUrl}/v2/rerank with HTTP ${status} but a body that is not JSON (${JSON.stringify(bodyMessage(error.body, apiKey))}). Check that baseUrl points at a Cohere-compatible /v2/rerank endpoint.`,
      );
    }
    if (status !== undefined && status >= 400) {
      // No `cause`: the SDK error keeps the raw body, and a server may echo the key in it.
      return new ProviderHttpError(this.provider, {
        status,
        providerMessage: bodyMessage(error.body, apiKey),
        retryAfterMs: parseRetryAfter(error.rawResponse?.headers?.get('retry-after')),
        url: `${this.baseUrl}/v2/rerank`,
      });
    }
    // No status: the SDK caught a fetch failure (connection refused or reset, DNS, TLS).
    const detail = describeCause(error);
    return new ProviderNetworkError(
      this.provider,
      `Cohere rerank request to ${this.baseUrl}/v2/rerank got no response: ${scrub(detail, apiKey)}. Check that the server is running and reachable at baseUrl.`,
      { cause: error },
    );
  }
}

function bodyMessage(body: unknown, apiKey: string | undefined): string | undefined {
  if (body === undefined || body === null) return undefined;
  return errorMessageFromBody(typeof body === 'string' ? body : JSON.stringify(body), apiKey);
}

function describeCause(error: CohereError): string {
  const cause = error.cause as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const inner = cause?.cause;
  const code = typeof inner?.code === 'string' ? `${inner.code}: ` : '';
  const innerMessage = typeof inner?.message === 'string' ? ` (${code}${inner.message})` : '';
  const message = typeof cause?.message === 'string' ? cause.message : error.message;
  return `${message}${innerMessage}`;
}
