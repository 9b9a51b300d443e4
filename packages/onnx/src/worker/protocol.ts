import type { CausalSessionSpec } from '../causal/causal-model.js';
import type { ModelLocation } from '../model-loader.js';
import type { LoadProgress } from '../options.js';
import type { PackedBatch } from './packed-batch.js';
import type { SerializedError } from './serialized-error.js';

/**
 * What the worker needs to load its session: the files the calling thread found or downloaded
 * (workers never download), and the load options that can cross a thread boundary.
 */
export interface WorkerLoadSpec {
  location: ModelLocation;
  threads: number;
  sessionOptions?: Record<string, unknown>;
  /**
   * Send `progress` messages. Workers no longer download (the calling thread fetches every file
   * first and reports progress itself), so none are sent; the field and the `progress` message stay
   * until worker-session.ts, which sets and handles them, drops them.
   */
  progress: boolean;
  /** Set for a causal-LM reranker: the worker opens a `CausalLmSession` instead of a classifier. */
  causal?: CausalSessionSpec;
}

/** Messages from the calling thread to a worker. */
export type ToWorker =
  /** `busy`: the session's shared flags and this worker's slot in them (see exit-guard.ts). */
  | { type: 'load'; spec: WorkerLoadSpec; busy: { buffer: SharedArrayBuffer; index: number } }
  | { type: 'run'; id: number; batch: PackedBatch }
  /** Release the session and let the thread end; sent only while the worker is idle. */
  | { type: 'close' }
  /** Test hook: exit with `code` when the next `run` arrives, as a crashed worker would. */
  | { type: 'exit-on-next-run'; code: number };

/** Messages from a worker to the calling thread. */
export type FromWorker =
  | { type: 'loaded'; config: Record<string, unknown>; wantsTokenTypes: boolean }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'scored'; id: number; scores: Float32Array; numLogits: number }
  | { type: 'run-failed'; id: number; error: SerializedError };
