import { ProviderError, ProviderHttpError, ProviderNetworkError, ProviderResponseError } from './errors.js';
import { redactedSnippet, scrub } from './redact.js';
import { parseRetryAfter } from './retry.js';
import { DEFAULT_MAX_RESPONSE_BYTES, send } from './transport.js';

export interface PostJsonRequest {
  provider: string;
  url: string;
  body: unknown;
  /** Sent as `Authorization: Bearer <key>` when set, and scrubbed from any error text. */
  apiKey: string | undefined;
  /** Aborts the request (the caller's signal, the timeout, or a failed sibling batch). */
  signal: AbortSignal;
  fetch?: typeof globalThis.fetch;
  /** Longest body read; default `DEFAULT_MAX_RESPONSE_BYTES`. */
  maxResponseBytes?: number;
}

/**
 * One JSON POST, with failures turned into typed errors. It neither retries nor times out by
 * itself: the caller's retry loop and attempt signal do that, and an abort is rethrown untouched
 * for the caller to classify (it knows whether the timeout or the user fired).
 */
export async function postJson(request: PostJsonRequest): Promise<unknown> {
  const { provider, url, apiKey, signal } = request;
  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
  if (apiKey !== undefined) headers.set('authorization', `Bearer ${apiKey}`);

  let response: Response;
  let text: string;
  try {
    // The body is read inside the same try: a connection dropped mid-body is a network error too.
    ({ response, text } = await send({
      provider,
      url,
      method: 'POST',
      headers,
      body: JSON.stringify(request.body),
      signal,
      maxResponseBytes: request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      fetch: request.fetch,
    }));
  } catch (error) {
    if (signal.aborted || error instanceof ProviderError) throw error;
    throw new ProviderNetworkError(
      provider,
      `${provider} rerank request to ${url} got no response: ${scrub(networkDetail(error), apiKey)}. Check that the server is running and reachable at baseUrl.`,
      { cause: error },
    );
  }

  if (!response.ok) {
    throw new ProviderHttpError(provider, {
      status: response.status,
      statusText: response.statusText,
      providerMessage: errorMessageFromBody(text, apiKey),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      url,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderResponseError(
      provider,
      `${provider} answered ${url} with HTTP ${response.status} but a body that is not JSON (${JSON.stringify(redactedSnippet(text, apiKey))}). Check that baseUrl points at a ${provider}-compatible rerank server.`,
    );
  }
}

/**
 * Pulls a human message out of the error bodies providers send: `{message}` (Cohere, Mixedbread),
 * `{detail}` (FastAPI servers: Jina, Voyage), `{error}` (TEI), `{error: {message}}` (vLLM, OpenAI
 * style); otherwise the start of the raw text.
 */
export function errorMessageFromBody(text: string, secret: string | undefined): string | undefined {
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return redactedSnippet(text, secret);
  }
  const found = pickMessage(body);
  return redactedSnippet(found ?? text, secret);
}

function pickMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'detail', 'error', 'msg']) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value;
    if (Array.isArray(value) && value.length > 0) {
      const parts = value.map((item) => pickMessage(item)).filter((part): part is string => part !== undefined);
      if (parts.length > 0) return parts.join('; ');
    }
    if (value !== null && typeof value === 'object') {
      const nested = pickMessage(value);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

function networkDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici reports "fetch failed" and puts the useful part (ECONNRESET, ECONNREFUSED) in `cause`.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
  }
  return error.message;
}
