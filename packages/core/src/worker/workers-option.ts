import os from 'node:os';
import { InvalidInputError } from '../errors.js';
import { describe } from '../ranking.js';

/** Most worker threads one CrossEncoder may start; each holds its own copy of the model. */
export const MAX_WORKERS = 64;

export type WorkersOption = number | 'auto';

export interface WorkerPlan {
  /** Worker threads to start; 0 runs forward passes in the calling thread. */
  workers: number;
  /** ONNX Runtime intra-op threads per session (per worker, or the calling thread's one). */
  threads: number;
}

/**
 * `workers: 'auto'` (the default): AUTO_WORKERS threads, each with one intra-op thread per core
 * (see the README's "Worker threads" section for the measurements behind it).
 */
export const AUTO_WORKERS = 2;

export function planWorkers(workers: WorkersOption | undefined, threads: number | undefined): WorkerPlan {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const value = workers === undefined ? 'auto' : workers;
  if (value !== 'auto' && (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_WORKERS)) {
    throw new InvalidInputError(`options.workers must be 'auto' or an integer from 0 to ${MAX_WORKERS}, got ${describe(value)}.`);
  }
  const count = value === 'auto' ? Math.min(AUTO_WORKERS, Math.max(1, cores)) : value;
  return { workers: count, threads: threads ?? cores };
}
