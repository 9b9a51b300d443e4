import { ProviderRedirectError, ProviderResponseTooLargeError } from './errors.js';

/** Default cap on a response body: a rerank answer for 1,000 documents is ~100 KB, even echoing texts a few MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Of an error (non-2xx) body only the start is shown; the rest is not worth reading. */
const ERROR_BODY_BYTES = 64 * 1024;
/** 307/308 hops followed before giving up (fetch's own limit is 20). */
const MAX_REDIRECTS = 5;

export interface SendRequest {
  provider: string;
  url: string;
  method: string;
  headers: Headers;
  body: BodyInit | undefined;
  signal: AbortSignal | undefined;
  maxResponseBytes: number;
  fetch: typeof globalThis.fetch | undefined;
}

export interface SentResponse {
  response: Response;
  /** The body, read up to the cap (cut to its start for a non-2xx answer). */
  text: string;
}

/**
 * Sends one request and reads its body with a size limit. Redirects are followed by hand: 307 and
 * 308 keep the method and body, so they are followed (at most `MAX_REDIRECTS` hops, dropping
 * `Authorization` when the origin changes, as fetch does); 301, 302 and 303 would turn the POST
 * into a body-less GET, so they fail with a `ProviderRedirectError` naming the new location
 * instead of producing a confusing "0 results" error from whatever the GET returns.
 * Transport failures (connection refused, reset, abort) are thrown as they come, for the caller
 * to classify.
 */
export async function send(request: SendRequest): Promise<SentResponse> {
  const doFetch = request.fetch ?? globalThis.fetch;
  const headers = new Headers(request.headers);
  let url = request.url;
  for (let hop = 0; ; hop++) {
    const response = await doFetch(url, { method: request.method, headers, body: request.body, signal: request.signal, redirect: 'manual' });
    if (!isRedirect(response)) {
      const limit = response.ok ? request.maxResponseBytes : Math.min(request.maxResponseBytes, ERROR_BODY_BYTES);
      return { response, text: await readText(response, limit, !response.ok, request.provider, url) };
    }
    await response.body?.cancel().catch(() => undefined);
    const location = response.headers.get('location');
    const next = location === null ? undefined : safeUrl(location, url);
    if (response.type === 'opaqueredirect' || next === undefined || ![307, 308].includes(response.status) || hop >= MAX_REDIRECTS) {
      throw new ProviderRedirectError(request.provider, {
        status: response.status,
        url,
        location: next,
        tooMany: hop >= MAX_REDIRECTS && [307, 308].includes(response.status),
      });
    }
    if (new URL(next).origin !== new URL(url).origin) headers.delete('authorization');
    url = next;
  }
}

function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400 && response.status !== 304);
}

function safeUrl(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}

/**
 * Reads the body chunk by chunk, stopping at `limit` bytes: an endless or huge body costs at most
 * `limit` of memory. Past the limit a 2xx answer fails with `ProviderResponseTooLargeError` (a
 * truncated JSON body is useless); an error answer just keeps its start (`truncate`).
 */
async function readText(response: Response, limit: number, truncate: boolean, provider: string, url: string): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!truncate && Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new ProviderResponseTooLargeError(provider, url, limit);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      if (truncate) return text + decoder.decode(value.subarray(0, value.byteLength - (received - limit)));
      throw new ProviderResponseTooLargeError(provider, url, limit);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
