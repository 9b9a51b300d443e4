import { checkKnownKeys, InvalidInputError } from '@crossrank/core';
import { describeValue as describe } from '@crossrank/core';
import { MissingApiKeyError } from './errors.js';
import type { RetryPolicy } from './retry.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './transport.js';

/** Options every API backend accepts (besides its own `apiKey`, `model`, `baseUrl`). */
export interface ApiRerankerOptions {
  /** Per-request limit, reading the response included. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first request on 429, 5xx, timeouts and network errors. Default 3. */
  maxRetries?: number;
  /** First backoff cap; doubles per retry (full jitter). Default 500. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 10 000. */
  maxDelayMs?: number;
  /** Longest `Retry-After` that is waited for; a longer one fails at once. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Documents per request; longer lists are split and merged. Default depends on the provider. */
  batchSize?: number;
  /** Batches in flight at once for one `rerank` call. Default 4. */
  concurrency?: number;
  /** A `fetch` to use instead of the global one (proxies, instrumentation). */
  fetch?: typeof globalThis.fetch;
  /**
   * Longest response body read, in bytes; a longer one fails with `ProviderResponseTooLargeError`
   * (not retried). Default 16 MiB, far above any real rerank response.
   */
  maxResponseBytes?: number;
}

export interface ResolvedApiSettings extends RetryPolicy {
  timeoutMs: number;
  batchSize: number;
  concurrency: number;
  fetch: typeof globalThis.fetch | undefined;
  maxResponseBytes: number;
}

/** setTimeout fires at once for delays above 2^31 - 1 ms (~24.8 days), so longer ones are refused. */
const MAX_DELAY_MS = 2_147_483_647;
/** Upper bounds of the count options: beyond them a value is a mistake (and costs memory or sockets). */
export const API_OPTION_BOUNDS = {
  maxRetries: 100,
  batchSize: 100_000,
  concurrency: 256,
  maxResponseBytes: 1024 ** 3,
} as const;

/** Every key of `ApiRerankerOptions`; `satisfies` keeps the list in step with the interface. */
const API_OPTION_KEYS = Object.keys({
  timeoutMs: true,
  maxRetries: true,
  baseDelayMs: true,
  maxDelayMs: true,
  maxRetryAfterMs: true,
  batchSize: true,
  concurrency: true,
  fetch: true,
  maxResponseBytes: true,
} satisfies Record<keyof ApiRerankerOptions, true>);

/**
 * Constructors read their options first: `null` or a string must fail typed, not as a TypeError,
 * and a key that is neither one of the backend's `own` options nor a shared one is a typo
 * (`UnknownOptionError`, naming the closest valid key).
 */
export function checkOptionsObject(className: string, options: unknown, own: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidInputError(`${className}: options must be an object, got ${describe(options)}.`);
  }
  checkKnownKeys(options, [...own, ...API_OPTION_KEYS.filter((key) => !own.includes(key))], `${className}: options`);
}

/** Fills defaults and rejects unusable values with a message naming the option. */
export function resolveApiSettings(
  className: string,
  options: ApiRerankerOptions,
  defaults: { batchSize: number },
): ResolvedApiSettings {
  const settings: ResolvedApiSettings = {
    timeoutMs: positive(className, 'timeoutMs', options.timeoutMs, 30_000, MAX_DELAY_MS),
    maxRetries: nonNegativeInteger(className, 'maxRetries', options.maxRetries, 3, API_OPTION_BOUNDS.maxRetries),
    baseDelayMs: nonNegative(className, 'baseDelayMs', options.baseDelayMs, 500, MAX_DELAY_MS),
    maxDelayMs: nonNegative(className, 'maxDelayMs', options.maxDelayMs, 10_000, MAX_DELAY_MS),
    maxRetryAfterMs: nonNegative(className, 'maxRetryAfterMs', options.maxRetryAfterMs, 60_000, MAX_DELAY_MS),
    batchSize: positiveInteger(className, 'batchSize', options.batchSize, defaults.batchSize, API_OPTION_BOUNDS.batchSize),
    concurrency: positiveInteger(className, 'concurrency', options.concurrency, 4, API_OPTION_BOUNDS.concurrency),
    fetch: options.fetch,
    maxResponseBytes: positiveInteger(className, 'maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, API_OPTION_BOUNDS.maxResponseBytes),
  };
  if (settings.fetch !== undefined && typeof settings.fetch !== 'function') {
    throw new InvalidInputError(`${className}: options.fetch must be a function, got ${describe(settings.fetch)}.`);
  }
  return settings;
}

/**
 * Picks the API key: the option first, then the environment. Environment variables are only read
 * for the provider's own host: a key meant for the hosted API must not be sent to whatever
 * `baseUrl` points at (a self-hosted server gets its key through `apiKey`).
 */
export function resolveApiKey(init: {
  provider: string;
  className: string;
  apiKey: unknown;
  envVars: readonly string[];
  /** Read the environment variables (false for a custom `baseUrl`). */
  useEnv: boolean;
  /** Throw `MissingApiKeyError` when no key is found. */
  required: boolean;
}): string | undefined {
  const { apiKey, className } = init;
  if (apiKey !== undefined) {
    if (typeof apiKey !== 'string' || apiKey.trim() === '') {
      // Never echo the value: it may be a (mangled) secret.
      throw new InvalidInputError(`${className}: options.apiKey must be a non-empty string, got ${apiKey === '' ? 'an empty string' : typeof apiKey}.`);
    }
    return apiKey;
  }
  if (init.useEnv) {
    for (const name of init.envVars) {
      const value = process.env[name];
      if (value !== undefined && value.trim() !== '') return value;
    }
  }
  if (init.required) throw new MissingApiKeyError(init.provider, className, init.envVars);
  return undefined;
}

/** Validates a base URL and drops trailing slashes so paths can be appended. */
export function resolveBaseUrl(className: string, baseUrl: unknown, fallback?: string): string {
  const value = baseUrl ?? fallback;
  if (typeof value !== 'string' || value === '') {
    throw new InvalidInputError(`${className}: options.baseUrl must be a URL string like "http://localhost:8080", got ${describe(value)}.`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(`${className}: options.baseUrl is not a valid URL (${JSON.stringify(value)}); use e.g. "http://localhost:8080".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(`${className}: options.baseUrl must be http:// or https://, got ${JSON.stringify(url.protocol)}.`);
  }
  if (url.username || url.password) {
    throw new InvalidInputError(`${className}: options.baseUrl must not carry credentials; pass the key as the apiKey option.`);
  }
  return value.replace(/\/+$/, '');
}

export function nonEmptyString(className: string, name: string, value: unknown, fallback: string): string {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'string' || resolved.trim() === '') {
    throw new InvalidInputError(`${className}: options.${name} must be a non-empty string, got ${describe(value)}.`);
  }
  return resolved;
}

export function optionalPositiveInteger(className: string, name: string, value: unknown): number | undefined {
  return value === undefined ? undefined : positiveInteger(className, name, value, 1);
}

function positive(className: string, name: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved <= 0 || resolved > max) {
    throw new InvalidInputError(`${className}: options.${name} must be a positive number up to ${max}, got ${describe(value)}.`);
  }
  return resolved;
}

function nonNegative(className: string, name: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved < 0 || resolved > max) {
    throw new InvalidInputError(`${className}: options.${name} must be a number from 0 to ${max}, got ${describe(value)}.`);
  }
  return resolved;
}

function nonNegativeInteger(className: string, name: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || (resolved as number) < 0 || (resolved as number) > max) {
    throw new InvalidInputError(`${className}: options.${name} must be an integer from 0 to ${max}, got ${describe(value)}.`);
  }
  return resolved as number;
}

function positiveInteger(className: string, name: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || (resolved as number) < 1 || (resolved as number) > max) {
    throw new InvalidInputError(`${className}: options.${name} must be an integer from 1 to ${max}, got ${describe(value)}.`);
  }
  return resolved as number;
}
