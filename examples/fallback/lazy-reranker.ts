import type { Reranker, RerankOptions, RerankResult } from '@crossrank/core';

/**
 * A reranker created on its first `rerank` call. In a fallback chain this keeps the standby cheap:
 * the local model is only loaded (and downloaded, the first time) once the hosted API has failed,
 * and a hosted backend without a key fails on use, so the chain moves on, instead of at start-up.
 * Creation runs once; its failure is kept and rethrown to every later call.
 */
export class LazyReranker<R extends Reranker> implements Reranker {
  readonly label: string;
  readonly #create: () => R | Promise<R>;
  #instance: Promise<R> | undefined;

  constructor(label: string, create: () => R | Promise<R>) {
    this.label = label;
    this.#create = create;
  }

  async rerank(query: string, documents: readonly string[], options?: RerankOptions): Promise<RerankResult[]> {
    return (await this.get()).rerank(query, documents, options);
  }

  /** The reranker, created now if it was not yet. */
  get(): Promise<R> {
    // Promise.resolve().then: a synchronous throw in `create` becomes a rejection like an async one.
    this.#instance ??= Promise.resolve().then(() => this.#create());
    return this.#instance;
  }

  /** The reranker if it was created successfully, without creating it. */
  async created(): Promise<R | undefined> {
    return this.#instance?.catch(() => undefined);
  }
}
