import { DisposedError } from './errors.js';

/**
 * The dispose rule every crossrank reranker follows, for wrappers such as the adapters: calls already under way when `dispose()`
 * is called finish (dispose waits for them before releasing anything), and calls started after it
 * reject with `DisposedError`. A call counts as under way from the moment it is made.
 */
export class DisposeGuard {
  private disposed = false;
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly owner: string) {}

  /** Runs `work` as a call under way, or rejects with `DisposedError` after `dispose`. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.disposed) {
      return Promise.reject(new DisposedError(`This ${this.owner} was disposed; create a new one to rerank again.`));
    }
    const call = Promise.resolve().then(work);
    const tracked = call.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(tracked);
    void tracked.then(() => this.running.delete(tracked));
    return call;
  }

  /** Refuses new calls at once, waits for the ones under way, then runs `release` (once). */
  async dispose(release: () => Promise<void>): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all([...this.running]);
    await release();
  }
}
