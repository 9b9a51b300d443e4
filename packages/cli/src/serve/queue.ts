/**
 * Admission control: at most `concurrency` requests reach the reranker at once and at most `maxQueue`
 * wait behind them. A request that finds the queue full is refused at once (429 with `Retry-After`)
 * instead of joining an unbounded backlog whose latency nobody would wait for.
 */
export class AdmissionQueue {
  #active = 0;
  readonly #waiting: Array<{ grant: (release: () => void) => void; cancelled: boolean }> = [];
  /** Moving average of how long a slot is held, for the `Retry-After` estimate. */
  #serviceMs = 0;

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {}

  /** Every slot taken and the queue full: `acquire` would refuse. */
  get full(): boolean {
    return this.#active >= this.concurrency && this.#waiting.length >= this.maxQueue;
  }

  /** Requests waiting for a slot. */
  get depth(): number {
    return this.#waiting.length;
  }

  get active(): number {
    return this.#active;
  }

  /**
   * A slot, or `undefined` when every slot is taken and the queue is full. The promise resolves
   * with the slot's `release`; `signal` (the client going away) takes a waiting request out.
   */
  acquire(signal?: AbortSignal): Promise<() => void> | undefined {
    if (this.#active < this.concurrency) return Promise.resolve(this.#slot());
    if (this.#waiting.length >= this.maxQueue) return undefined;
    return new Promise((resolve, reject) => {
      const entry = { grant: resolve, cancelled: false };
      this.#waiting.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.#waiting.indexOf(entry);
          if (at >= 0) this.#waiting.splice(at, 1);
          entry.cancelled = true;
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Seconds a refused client should wait: the queue ahead of it drained at the observed pace. */
  retryAfterSeconds(): number {
    const ms = (this.#waiting.length + 1) * (this.#serviceMs || 1000) / this.concurrency;
    return Math.max(1, Math.ceil(ms / 1000));
  }

  #slot(): () => void {
    this.#active++;
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const held = performance.now() - started;
      this.#serviceMs = this.#serviceMs === 0 ? held : 0.8 * this.#serviceMs + 0.2 * held;
      this.#active--;
      const next = this.#waiting.shift();
      if (next) next.grant(this.#slot());
    };
  }
}
