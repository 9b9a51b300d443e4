import os from 'node:os';
import { InvalidInputError } from '../errors.js';
import { describe } from '../ranking.js';

/**
 * `workerNice`: on Linux, `os.setPriority(0, n)` called in a worker thread sets that thread's nice
 * value only (a Linux thread is scheduled as its own task), and the threads ONNX Runtime starts
 * afterwards inherit it; the calling thread keeps its priority. On macOS and Windows the same call
 * changes the whole process (the calling thread included), so it is not made there.
 */
export function niceApplies(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux';
}

export function checkWorkerNice(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 19) {
    throw new InvalidInputError(`options.workerNice must be an integer from 0 (unchanged) to 19 (lowest priority), got ${describe(value)}.`);
  }
}

/**
 * In a worker thread, before ONNX Runtime starts its threads: lowers this thread's priority by
 * `nice` (Linux). A refusal (a sandbox without the right) leaves the priority as it was.
 */
export function lowerThreadPriority(nice: number): void {
  if (nice <= 0 || !niceApplies()) return;
  try {
    os.setPriority(0, Math.min(19, os.getPriority(0) + nice));
  } catch {
    // Priority is a hint; scoring works the same without it.
  }
}
