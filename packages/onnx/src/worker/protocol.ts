import type { CausalSessionSpec } from '../causal/causal-model.js';
import type { ModelLocation } from '../model-loader.js';
import type { CrossEncoderLoadOptions } from '../options.js';
import type { EncodedWire, EncodeRequest, EncoderInfo, WindowPlan } from '../pair-source/encode-request.js';
import type { EncoderOptions } from '../pair-source/model-encoder.js';
import type { PackedBatch } from './packed-batch.js';
import type { SerializedError } from './serialized-error.js';
import type { WorkerPlan } from './workers-option.js';

/**
 * What the worker needs to load its session: the files the calling thread found or downloaded
 * (workers never download), and the load options that can cross a thread boundary.
 */
export interface WorkerLoadSpec {
  location: ModelLocation;
  threads: number;
  /** Niceness the worker adds to its thread before ONNX Runtime starts its own (see worker-priority.ts). */
  nice: number;
  sessionOptions?: Record<string, unknown>;
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
  | { type: 'exit-on-next-run'; code: number }
  /** The encoder thread's messages (see pair-source/thread-pair-source.ts): open the tokenizer side, then encode. */
  | { type: 'open-encoder'; location: ModelLocation; options: EncoderOptions; nice: number }
  | { type: 'encode'; id: number; request: EncodeRequest }
  | { type: 'plan-windows'; id: number; query: string; documents: readonly string[] };

/** Messages from a worker to the calling thread. */
export type FromWorker =
  | { type: 'loaded'; config: Record<string, unknown>; wantsTokenTypes: boolean }
  | { type: 'load-failed'; error: SerializedError }
  | { type: 'scored'; id: number; scores: Float32Array; numLogits: number }
  | { type: 'run-failed'; id: number; error: SerializedError }
  | { type: 'encoder-opened'; info: EncoderInfo }
  | { type: 'encoder-failed'; error: SerializedError }
  | { type: 'encoded'; id: number; wire: EncodedWire }
  | { type: 'windows-planned'; id: number; plan: WindowPlan }
  | { type: 'encode-failed'; id: number; error: SerializedError };

/** The spec every worker of a session loads: the located files and the options that can cross threads. */
export function workerLoadSpec(location: ModelLocation, options: CrossEncoderLoadOptions, plan: WorkerPlan, causal?: CausalSessionSpec): WorkerLoadSpec {
  return {
    location,
    threads: plan.threads,
    nice: plan.nice,
    ...(options.sessionOptions !== undefined ? { sessionOptions: options.sessionOptions } : {}),
    ...(causal !== undefined ? { causal } : {}),
  };
}
