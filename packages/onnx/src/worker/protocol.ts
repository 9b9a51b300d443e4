import type { CausalSessionSpec } from '../causal/causal-model.js';
import type { ModelSource } from '../model-source.js';
import type { CrossEncoderDtype, LoadProgress } from '../options.js';
import type { PackedBatch } from './packed-batch.js';
import type { SerializedError } from './serialized-error.js';

/** What the worker needs to load its session: the load options that can cross a thread boundary. */
export interface WorkerLoadSpec {
  source: ModelSource;
  dtype: CrossEncoderDtype;
  threads: number;
  localFilesOnly?: boolean;
  cacheDir?: string;
  revision?: string;
  sessionOptions?: Record<string, unknown>;
  /** Send `progress` messages (the caller's `onProgress` stays on the calling thread). */
  progress: boolean;
  /** Set for a causal-LM reranker: the worker opens a `CausalLmSession` instead of a classifier. */
  causal?: CausalSessionSpec;
}

/** Messages from the calling thread to a worker. */
export type ToWorker =
  | { type: 'load'; spec: WorkerLoadSpec }
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
