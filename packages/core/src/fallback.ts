import { AllRerankersFailedError, InvalidInputError, RerankAbortedError } from './errors.js';
import { checkKnownKeys } from './known-keys.js';
import { abortError, describe, snapshotRerankArgs } from './ranking.js';
import type { RerankOptions, RerankResult, Reranker } from './reranker.js';

export interface FallbackEvent {
  /** Position of the reranker that failed. */
  failed: number;
  failedName: string;
  error: unknown;
  /** Position of the reranker that is tried next. */
  next: number;
  nextName: string;
}

export interface FallbackRerankerOptions {
  /** Called before each fallback. An exception thrown here rejects the `rerank` call. */
  onFallback?: (event: FallbackEvent) => void;
}

export interface RerankWithSource {
  results: RerankResult[];
  /** Position in the `rerankers` array of the one that produced `results`. */
  servedBy: number;
  /** Its name: the class name, with the model when it has one. */
  name: string;
}

/**
 * Tries rerankers in order: when one fails (after its own retries), the next one serves. Aborts and
 * invalid input are not failures of a backend, so they are thrown at once without falling back.
 *
 * `rerank` keeps the plain `Reranker` contract; `rerankWithSource` also says which reranker served,
 * which is the reliable way under concurrency. `lastServedBy` is a convenience for sequential use:
 * it holds the position that served the most recently finished call.
 */
export class FallbackReranker implements Reranker {
  readonly rerankers: readonly Reranker[];
  readonly names: readonly string[];
  lastServedBy: number | undefined;
  readonly #onFallback: FallbackRerankerOptions['onFallback'];

  constructor(rerankers: readonly Reranker[], options: FallbackRerankerOptions = {}) {
    if (!Array.isArray(rerankers) || rerankers.length === 0) {
      throw new InvalidInputError(`FallbackReranker needs a non-empty array of rerankers ([primary, ...fallbacks]), got ${describe(rerankers)}.`);
    }
    // Read every slot once (holes included, which forEach would skip) and keep that copy.
    const list = Array.from(rerankers as readonly unknown[]);
    list.forEach((reranker, i) => {
      if (reranker === null || typeof reranker !== 'object' || typeof (reranker as Reranker).rerank !== 'function') {
        throw new InvalidInputError(`FallbackReranker: rerankers[${i}] must implement Reranker (a rerank method), got ${describe(reranker)}.`);
      }
    });
    if (options === null || typeof options !== 'object') {
      throw new InvalidInputError(`FallbackReranker: options must be an object, got ${describe(options)}.`);
    }
    checkKnownKeys(options, ['onFallback'] satisfies Array<keyof FallbackRerankerOptions>, 'FallbackReranker options');
    if (options.onFallback !== undefined && typeof options.onFallback !== 'function') {
      throw new InvalidInputError(`FallbackReranker: options.onFallback must be a function, got ${describe(options.onFallback)}.`);
    }
    this.rerankers = list as Reranker[];
    this.names = this.rerankers.map(nameOf);
    this.#onFallback = options.onFallback;
  }

  async rerank(query: string, documents: readonly string[], options?: RerankOptions): Promise<RerankResult[]> {
    return (await this.rerankWithSource(query, documents, options)).results;
  }

  async rerankWithSource(query: string, documents: readonly string[], options?: RerankOptions): Promise<RerankWithSource> {
    // Bad input would fail every backend the same way: report it once, as the caller's mistake.
    ({ query, documents, options } = snapshotRerankArgs(query, documents, options));
    const signal = options?.signal;
    const errors: unknown[] = [];
    for (let i = 0; i < this.rerankers.length; i++) {
      if (signal?.aborted) throw abortError(signal);
      try {
        const results = await this.rerankers[i]!.rerank(query, documents, options);
        this.lastServedBy = i;
        return { results, servedBy: i, name: this.names[i]! };
      } catch (error) {
        if (error instanceof RerankAbortedError || error instanceof InvalidInputError) throw error;
        if (signal?.aborted) throw abortError(signal);
        errors.push(error);
        if (i + 1 < this.rerankers.length) {
          this.#onFallback?.({ failed: i, failedName: this.names[i]!, error, next: i + 1, nextName: this.names[i + 1]! });
        }
      }
    }
    this.lastServedBy = undefined;
    throw new AllRerankersFailedError(this.names, errors);
  }

  toJSON(): { rerankers: readonly unknown[] } {
    // Delegates to each reranker's own safe toJSON (API rerankers never include their key).
    return { rerankers: this.rerankers.map((r, i) => (typeof (r as { toJSON?: unknown }).toJSON === 'function' ? r : this.names[i])) };
  }
}

function nameOf(reranker: Reranker): string {
  const className = (reranker as object).constructor?.name || 'Reranker';
  const model = (reranker as { model?: unknown }).model;
  return typeof model === 'string' && model !== '' ? `${className}(${model})` : className;
}
