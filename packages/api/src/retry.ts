import { ProviderError, ProviderHttpError, ProviderNetworkError, ProviderTimeoutError } from './errors.js';
import { sleep } from './signals.js';

export interface RetryPolicy {
  /** Retries after the first attempt (so at most `maxRetries + 1` requests). */
  maxRetries: number;
  /** Backoff cap for the first retry; it doubles each retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown at once instead. */
  maxRetryAfterMs: number;
  /** Injectable for tests; `Math.random` otherwise. */
  random?: () => number;
}

/** Rate limits, server errors, timeouts and dropped connections can succeed on another try. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ProviderHttpError) return error.retryable;
  return error instanceof ProviderTimeoutError || error instanceof ProviderNetworkError;
}

/**
 * Exponential backoff with full jitter (a uniform draw in [0, cap]) so many clients rate limited at
 * the same moment do not come back in lockstep.
 */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return (policy.random ?? Math.random)() * cap;
}

/**
 * Reads `Retry-After` (RFC 9110: delay in seconds, or an HTTP date) as milliseconds from `now`.
 * Returns undefined for a missing or unreadable value; a date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  // Every HTTP-date form names the month; without a letter, Date.parse would read "-3" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or `maxRetries` retries are
 * spent. A `Retry-After` from the server replaces the backoff delay. Sleeps end at once when
 * `signal` fires, rejecting with `onAbort()`.
 */
export async function withRetries<T>(
  attempt: (attemptIndex: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  onAbort: () => unknown,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (error instanceof ProviderError) error.attempts = retry + 1;
      if (retry >= policy.maxRetries) {
        if (error instanceof ProviderError) {
          error.message += retry > 0 ? ` (gave up after ${retry + 1} attempts)` : ' (not retried: maxRetries is 0)';
        }
        throw error;
      }
      const retryAfterMs = error instanceof ProviderHttpError ? error.retryAfterMs : undefined;
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
        if (error instanceof ProviderError) {
          error.message += ` (the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s, more than maxRetryAfterMs = ${policy.maxRetryAfterMs} ms, so it was not retried)`;
        }
        throw error;
      }
      await sleep(retryAfterMs ?? backoffDelay(retry, policy), signal, onAbort);
    }
  }
}
