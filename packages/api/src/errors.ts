import { CrossrankError } from '@crossrank/core';

/**
 * Base class of every failure a rerank API reports, so callers (and `FallbackReranker`) can tell a
 * provider's failure apart from bad input or an abort with one `instanceof`.
 */
export class ProviderError extends CrossrankError {
  override name = 'ProviderError';
  override readonly code: string = 'CROSSRANK_PROVIDER';
  /** Which backend failed, e.g. `'Cohere'`, `'TEI'`. */
  readonly provider: string;
  /** How many requests were made before giving up (1 when the error was not retried). */
  attempts = 1;

  constructor(provider: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.provider = provider;
  }
}

/** The server answered with a non-2xx status. 429 and 5xx were retried before this was thrown. */
export class ProviderHttpError extends ProviderError {
  override name = 'ProviderHttpError';
  override readonly code: string = 'CROSSRANK_PROVIDER_HTTP';
  readonly status: number;
  /** The error text the provider put in its body (`message`, `detail`, `error`), if any. */
  readonly providerMessage: string | undefined;
  /** The server's `Retry-After`, in milliseconds, if it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    provider: string,
    init: { status: number; statusText?: string; providerMessage?: string; retryAfterMs?: number; url?: string },
    options?: { cause?: unknown },
  ) {
    super(provider, httpMessage(provider, init), options);
    this.status = init.status;
    this.providerMessage = init.providerMessage;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** 429 (rate limited) and 5xx are worth another try; other 4xx will fail the same way again. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** One request took longer than `timeoutMs` (including reading the body). */
export class ProviderTimeoutError extends ProviderError {
  override name = 'ProviderTimeoutError';
  override readonly code: string = 'CROSSRANK_PROVIDER_TIMEOUT';
  readonly timeoutMs: number;

  constructor(provider: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(
      provider,
      `${provider} rerank request timed out after ${timeoutMs} ms. Raise the timeoutMs option, send fewer or shorter documents per request (batchSize), or check the server's load.`,
      options,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The request never got an HTTP answer: connection refused or reset, DNS failure, TLS error. */
export class ProviderNetworkError extends ProviderError {
  override name = 'ProviderNetworkError';
  override readonly code: string = 'CROSSRANK_PROVIDER_NETWORK';
}

/** The server answered 2xx but the body is not the documented shape (or breaks the contract). */
export class ProviderResponseError extends ProviderError {
  override name = 'ProviderResponseError';
  override readonly code: string = 'CROSSRANK_PROVIDER_RESPONSE';
}

/**
 * The server answered with a redirect that cannot be followed for a POST: 301, 302 and 303 turn it
 * into a body-less GET (or there was no usable `Location`, or too many 307/308 hops). Not retried.
 */
export class ProviderRedirectError extends ProviderHttpError {
  override readonly code: string = 'CROSSRANK_PROVIDER_REDIRECT';
  /** Where the server pointed, if it said. */
  readonly location: string | undefined;

  constructor(provider: string, init: { status: number; url: string; location: string | undefined; tooMany?: boolean }) {
    super(provider, {
      status: init.status,
      url: init.url,
      providerMessage: init.tooMany
        ? `redirected too many times (last to ${init.location})`
        : `redirected to ${init.location ?? 'an unusable location'}`,
    });
    this.location = init.location;
  }
}

/** A response body was larger than `maxResponseBytes`; it was not read further and is not retried. */
export class ProviderResponseTooLargeError extends ProviderResponseError {
  override readonly code: string = 'CROSSRANK_PROVIDER_RESPONSE_TOO_LARGE';
  readonly maxResponseBytes: number;

  constructor(provider: string, url: string, maxResponseBytes: number) {
    super(
      provider,
      `${provider} answered ${url} with a body larger than maxResponseBytes (${maxResponseBytes} bytes); reading stopped there. A rerank response is far smaller: check that baseUrl points at a ${provider}-compatible rerank endpoint, or raise maxResponseBytes.`,
    );
    this.maxResponseBytes = maxResponseBytes;
  }
}

/** An API backend was built without a key and none was found in its environment variable. */
export class MissingApiKeyError extends CrossrankError {
  override name = 'MissingApiKeyError';
  override readonly code: string = 'CROSSRANK_MISSING_API_KEY';
  readonly provider: string;
  /** The environment variable(s) that were read. */
  readonly envVars: readonly string[];

  constructor(provider: string, className: string, envVars: readonly string[]) {
    super(
      `${className} needs a ${provider} API key: pass it as the apiKey option (new ${className}({ apiKey })) or set the ${envVars.join(' or ')} environment variable.`,
    );
    this.provider = provider;
    this.envVars = [...envVars];
  }
}

function httpMessage(
  provider: string,
  { status, statusText, providerMessage, url }: { status: number; statusText?: string; providerMessage?: string; url?: string },
): string {
  const where = url ? ` from ${url}` : '';
  const said = providerMessage ? `: ${providerMessage}` : '';
  return `${provider} rerank request failed with HTTP ${status}${statusText ? ` ${statusText}` : ''}${where}${said}. ${httpAdvice(status)}`;
}

function httpAdvice(status: number): string {
  if (status >= 300 && status < 400) {
    return 'A redirect would turn the POST into a GET (or could not be followed): set baseUrl to the URL the server redirects to.';
  }
  if (status === 401 || status === 403) return 'Check the API key (apiKey option or environment variable).';
  if (status === 404) return 'Check baseUrl and model: the endpoint or model does not exist there.';
  if (status === 413) return 'Send fewer or shorter documents per request (batchSize option).';
  // Whether retries were made is appended by the retry loop: this text must hold either way.
  if (status === 429) return 'Rate limited: lower the request rate, or raise maxRetries and maxRetryAfterMs.';
  if (status >= 500) return 'The server failed. Try again later, raise maxRetries, or add a FallbackReranker.';
  return 'The request was rejected; fix the request (model, options, documents) as the provider says.';
}
