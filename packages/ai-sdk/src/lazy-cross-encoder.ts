import { DisposedError } from '@crossrank/core';
import type { CrossEncoder } from './load-cross-encoder.js';

/**
 * Holds one model load: the first call starts it, calls that arrive while it runs share it, and a
 * failed load is forgotten so the next call tries again (a network error, a folder written later).
 */
export class LazyCrossEncoder {
  private loading: Promise<CrossEncoder> | undefined;
  private loaded: CrossEncoder | undefined;
  private disposed = false;

  constructor(private readonly start: () => Promise<CrossEncoder>) {}

  /** The model once a load has succeeded. */
  get current(): CrossEncoder | undefined {
    return this.loaded;
  }

  /**
   * Resolves with the model. An abort rejects this call at once with the signal's reason; the load
   * itself cannot be cancelled, so it carries on for the other callers and the next call.
   */
  load(signal?: AbortSignal): Promise<CrossEncoder> {
    if (this.disposed) {
      return Promise.reject(new DisposedError('This crossrank reranking model was disposed; create a new one with crossrank.rerankingModel(...).'));
    }
    if (this.loaded) return Promise.resolve(this.loaded);
    if (!this.loading) {
      const loading = Promise.resolve()
        .then(this.start)
        .then((encoder) => {
          this.loaded = encoder;
          return encoder;
        });
      this.loading = loading;
      loading.catch(() => {
        if (this.loading === loading) this.loading = undefined;
      });
    }
    return signal ? raceAbort(this.loading, signal) : this.loading;
  }

  /** Releases the model if it was loaded; a load still under way is released when it settles. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const encoder = this.loaded ?? (await this.loading?.catch(() => undefined));
    this.loaded = undefined;
    await encoder?.dispose();
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
