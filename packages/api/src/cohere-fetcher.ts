import type { CohereClientV2 } from 'cohere-ai';

type FetchFunction = NonNullable<ConstructorParameters<typeof CohereClientV2>[0]['fetcher']>;
type FetcherArgs = Parameters<FetchFunction>[0];

/**
 * The transport given to the `CohereClientV2` that `CohereReranker` builds (the SDK's public
 * `fetcher` option). The SDK's own fetcher arms a timeout timer per request and clears it only when
 * headers arrive, so after an abort, a reset or a timeout a timer stays armed for up to `timeoutMs`
 * and keeps Node from exiting. Here the timeout is the caller's attempt signal, which also covers
 * reading the body. The SDK still builds the request (serialization, auth header, URL) and maps
 * the result to its errors; this only moves bytes.
 */
export function createCohereFetcher(fetchFn: typeof globalThis.fetch | undefined): FetchFunction {
  const fetcher = async (args: FetcherArgs) => {
    const headers = new Headers({ accept: 'application/json' });
    if (args.body !== undefined && args.contentType) headers.set('content-type', args.contentType);
    for (const [name, supplier] of Object.entries(args.headers ?? {})) {
      // The SDK allows header values to be suppliers (functions or promises).
      const value: unknown = typeof supplier === 'function' ? await (supplier as () => unknown)() : await supplier;
      if (value !== null && value !== undefined) headers.set(name, String(value));
    }
    const url = withQuery(args.url, args.queryParameters);
    const body = args.body === undefined ? undefined : args.requestType === 'json' ? JSON.stringify(args.body) : (args.body as BodyInit);
    let response: Response;
    let text: string;
    try {
      response = await (fetchFn ?? args.fetchFn ?? globalThis.fetch)(url, { method: args.method, headers, body, signal: args.abortSignal });
      text = await response.text();
    } catch (error) {
      const errorMessage = error instanceof Error ? error.message : String(error);
      return { ok: false as const, error: { reason: 'unknown' as const, errorMessage, cause: error }, rawResponse: emptyRawResponse() };
    }
    const rawResponse = {
      headers: response.headers,
      redirected: response.redirected,
      status: response.status,
      statusText: response.statusText,
      type: response.type,
      url: response.url,
    };
    if (response.ok) {
      try {
        return { ok: true as const, body: (text === '' ? undefined : JSON.parse(text)) as never, rawResponse };
      } catch {
        return { ok: false as const, error: { reason: 'non-json' as const, statusCode: response.status, rawBody: text }, rawResponse };
      }
    }
    return { ok: false as const, error: { reason: 'status-code' as const, statusCode: response.status, body: parseOrText(text) }, rawResponse };
  };
  return fetcher as FetchFunction;
}

function withQuery(url: string, query: Record<string, unknown> | undefined): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const search = params.toString();
  return search === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${search}`;
}

function parseOrText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function emptyRawResponse() {
  return { headers: new Headers(), redirected: false, status: 0, statusText: 'No response', type: 'error' as ResponseType, url: '' };
}
