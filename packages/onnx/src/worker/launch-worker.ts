import type { Worker } from 'node:worker_threads';
import { WorkerFailedError } from '../errors.js';
import { startWorker } from './start-worker.js';
import { withWorkerFlags } from './worker-exec-argv.js';

/** A crossrank worker thread (either role: ONNX sessions or the encoder), or the `WorkerFailedError` that says why it could not start. */
export function launchWorker(): Worker {
  try {
    return withWorkerFlags((flags) => startWorker({ stdout: false, stderr: false, ...flags }));
  } catch (error) {
    if (error instanceof WorkerFailedError) throw error;
    throw new WorkerFailedError(`Could not start a crossrank worker thread: ${messageOf(error)}`, undefined, { cause: error });
  }
}

/** The error for a worker thread that ended without being asked to. */
export function unexpectedExit(code: number, whileLoading: boolean, lastError: unknown): WorkerFailedError {
  const why = lastError ? `: ${messageOf(lastError)}` : '';
  return new WorkerFailedError(
    `A crossrank worker thread ${whileLoading ? 'failed while loading the model' : 'exited unexpectedly'} (exit code ${code})${why}. ` +
      'The calls it was running failed; later calls start a new worker. If it keeps happening, check memory, or load with { workers: 0 }.',
    code,
    lastError ? { cause: lastError } : undefined,
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
