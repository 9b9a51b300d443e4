import type { PackedBatch } from './packed-batch.js';

/**
 * Where forward passes run: in the calling thread (`InProcessSession`) or in worker threads
 * (`WorkerSession`). `CrossEncoder` only packs batches and reads scores; it does not know which.
 */
export interface ScoringSession {
  /** How many batches can run at once; a call keeps up to this many in flight. */
  readonly parallelism: number;
  /** Whether batches must carry `token_type_ids`. */
  readonly wantsTokenTypes: boolean;
  /** 1 or 2 once a forward pass has run. */
  readonly numLogits: number | undefined;
  /**
   * One raw score per row, in row order. Batches wait their turn in arrival order; one whose
   * `signal` fires while it waits leaves the queue and rejects with `RerankAbortedError`.
   */
  score(batch: PackedBatch, signal?: AbortSignal): Promise<Float32Array>;
  /** Releases the session(s) once batches already accepted have run. */
  dispose(): Promise<void>;
}
