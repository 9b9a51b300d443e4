import { abortError } from '../ranking.js';
import type { PackedBatch } from './packed-batch.js';

/** A batch waiting for, or running in, a session. */
export interface Job {
  readonly batch: PackedBatch;
  /** False once the job's promise has settled (scored, failed or aborted). */
  pending: boolean;
  resolve(scores: Float32Array): void;
  reject(error: unknown): void;
}

/**
 * Batches in arrival order. A job whose signal fires rejects at once with `RerankAbortedError`:
 * still queued, it leaves the queue; already running, its result is dropped when it comes.
 */
export class JobQueue {
  private readonly jobs: Job[] = [];

  get size(): number {
    return this.jobs.length;
  }

  add(batch: PackedBatch, signal?: AbortSignal): Promise<Float32Array> {
    return new Promise<Float32Array>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => {
        const at = this.jobs.indexOf(job);
        if (at >= 0) this.jobs.splice(at, 1);
        job.reject(abortError(signal!));
      };
      const settle = () => {
        job.pending = false;
        signal?.removeEventListener('abort', onAbort);
      };
      const job: Job = {
        batch,
        pending: true,
        resolve: (scores) => {
          if (!job.pending) return;
          settle();
          resolve(scores);
        },
        reject: (error) => {
          if (!job.pending) return;
          settle();
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.jobs.push(job);
    });
  }

  /** The next job to run, if any. */
  take(): Job | undefined {
    return this.jobs.shift();
  }

  /** Rejects every queued job with `error` and empties the queue. */
  rejectAll(error: unknown): void {
    for (const job of this.jobs.splice(0)) job.reject(error);
  }
}
