import type { CohereClientV2 } from 'cohere-ai';
import { ProviderError } from './errors.js';
import { send } from './transport.js';

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
export function createCohereFetcher(fetchFn: typeof globalThis.fetch | undefined, maxResponseBytes: number): FetchFunction {
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
      ({ response, text } = await send({
        provider: 'Cohere',
        url,
        method: args.method,
        headers,
        body,
        signal: args.abortSignal,
        maxResponseBytes,
        fetch: fetchFn ?? args.fetchFn,
      }));
    } catch (error) {
      // Redirect and size errors are already crossrank's; the SDK would call them network errors.
      if (error instanceof ProviderError) throw error;
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
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { ok: false as const, error: { reason: 'non-json' as const, statusCode: response.status, rawBody: text }, rawResponse };
      }
      return { ok: true as const, body: resultsOnly(parsed) as never, rawResponse };
    }
    return { ok: false as const, error: { reason: 'status-code' as const, statusCode: response.status, body: parseOrText(text) }, rawResponse };
  };
  return fetcher as FetchFunction;
}

/**
 * Hands the SDK only the fields crossrank reads, each of the type its schema expects, and the rest
 * as given: the SDK's parser prints "Failed to validate" to stderr (and can throw) for any other
 * shape, and the checks that matter (`readScoredItems`) run on what comes back. An empty body,
 * `null` or a non-object stays as it is for those checks to name, behind a wrapper the SDK accepts.
 */
function resultsOnly(body: unknown): unknown {
  const results = isRecord(body) ? body['results'] : undefined;
  if (!Array.isArray(results) || !results.every((item) => isRecord(item) && typeof item['index'] === 'number' && typeof item['relevance_score'] === 'number')) {
    return { results: [], [UNUSABLE]: body };
  }
  return { results: results.map((item: Record<string, unknown>) => ({ index: item['index'], relevance_score: item['relevance_score'] })) };
}

/** Marks a 2xx body the SDK must not see; `unwrapCohereBody` gives the original back. */
const UNUSABLE = '__crossrankUnusableBody';

/** The body a 2xx answer really had, for the response checks (see `resultsOnly`). */
export function unwrapCohereBody(response: unknown): unknown {
  return isRecord(response) && UNUSABLE in response ? response[UNUSABLE] : response;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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
