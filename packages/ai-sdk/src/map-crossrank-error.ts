import { APICallError, InvalidArgumentError } from '@ai-sdk/provider';

/**
 * Turns what a crossrank reranker threw into what `ai` expects, so that `rerank()`'s retry loop
 * (`maxRetries`, default 2) only reruns calls that another try can fix:
 *
 * - an abort → the signal's reason (`AbortError`), which `ai` never retries;
 * - `InvalidInputError` → the AI SDK's `InvalidArgumentError` (not retried);
 * - a provider failure (`ProviderHttpError`, timeout, network) → `APICallError`, original as `cause`.
 *   crossrank's API rerankers already retry 429, 5xx, timeouts and network errors themselves
 *   (`maxRetries`, default 3, with jitter and `Retry-After`). When they did (`attempts > 1`) the error
 *   is final, `isRetryable: false`: letting `ai` rerun it would multiply the two loops (3 × 4 = 12
 *   requests by default) and hammer a rate-limited server. When the reranker made one attempt
 *   (built with `maxRetries: 0`), a 429/5xx/timeout/network error is `isRetryable: true` and `ai`'s
 *   loop does the retrying: there is always exactly one retry layer, whichever the user configured;
 * - everything else (a missing model, a corrupt file, a missing engine, all fallbacks failed) is
 *   passed through unchanged: `ai` does not retry errors that are not `APICallError`s.
 *
 * Errors are recognised by their stable `code`, not `instanceof`, so this works when two copies of
 * crossrank are installed.
 */
export function mapCrossrankError(error: unknown, context: { signal?: AbortSignal; url?: string }): unknown {
  const code = crossrankCode(error);
  const { signal } = context;
  if (signal?.aborted && (code === 'CROSSRANK_ABORTED' || error === signal.reason)) return abortReason(signal);
  if (code === undefined) return error;
  const failure = error as Error & Record<string, unknown>;
  if (code === 'CROSSRANK_INVALID_INPUT') {
    return new InvalidArgumentError({ argument: argumentOf(failure.message), message: failure.message, cause: error });
  }
  if (code.startsWith('CROSSRANK_PROVIDER')) {
    const status = typeof failure.status === 'number' ? failure.status : undefined;
    const attempts = typeof failure.attempts === 'number' ? failure.attempts : 1;
    const transient =
      code === 'CROSSRANK_PROVIDER_TIMEOUT' ||
      code === 'CROSSRANK_PROVIDER_NETWORK' ||
      (code === 'CROSSRANK_PROVIDER_HTTP' && status !== undefined && (status === 429 || status >= 500));
    const retryAfterMs = typeof failure.retryAfterMs === 'number' ? failure.retryAfterMs : undefined;
    return new APICallError({
      message: failure.message,
      url: context.url ?? '',
      requestBodyValues: undefined,
      statusCode: status,
      // `ai` waits what the server asked for when this header is present (and under a minute).
      responseHeaders: retryAfterMs === undefined ? undefined : { 'retry-after-ms': String(retryAfterMs) },
      isRetryable: transient && attempts <= 1,
      cause: error,
      data: { code, provider: failure.provider, attempts },
    });
  }
  return error;
}

function crossrankCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('CROSSRANK_') ? code : undefined;
}

/** What a cancelled `fetch` rejects with, so `ai` and callers see the usual `AbortError`. */
export function abortReason(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof Error || (typeof DOMException === 'function' && reason instanceof DOMException)) return reason;
  return new DOMException('The rerank call was aborted.', 'AbortError');
}

// crossrank's messages start with what was wrong: "query must be ...", "documents[3] must be ...",
// "options.topN must be ...".
function argumentOf(message: string): string {
  const match = /^(?:options\.)?(query|documents|topN|scoreThreshold)\b/.exec(message);
  return match?.[1] ?? 'rerank';
}
