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
 * `workers: 'auto'` (the default): 2 workers (1 on a one-core machine), and by default the cores
 * split between them (`threads` = cores / workers, at least 1), so ONNX Runtime never runs more
 * threads than there are cores. On the shared 2-core bench machine (MiniLM shape, 20 DL19
 * candidates, fp32, ms per call, one call at a time / 12 at once): in-thread 4,876 / 3,381;
 * 1 worker x 2 threads 4,553 / 3,177; 2 x 1: 2,615 / 2,855; 2 x 2 (oversubscribed): 5,023 / 7,609.
 */
export const AUTO_WORKERS = 2;

export function planWorkers(workers: WorkersOption | undefined, threads: number | undefined): WorkerPlan {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const value = workers === undefined ? 'auto' : workers;
  if (value !== 'auto' && (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_WORKERS)) {
    throw new InvalidInputError(`options.workers must be 'auto' or an integer from 0 to ${MAX_WORKERS}, got ${describe(value)}.`);
  }
  const count = value === 'auto' ? Math.min(AUTO_WORKERS, Math.max(1, cores)) : value;
  const perWorker = count === 0 ? cores : Math.max(1, Math.floor(cores / count));
  return { workers: count, threads: threads ?? perWorker };
}
