import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '../errors.js';
import type { ModelLocation } from '../model-loader.js';
import { describe } from '../ranking.js';
import { checkWorkerNice, niceApplies } from './worker-priority.js';

/** Most worker threads one CrossEncoder may start; each holds its own copy of the model. */
export const MAX_WORKERS = 64;

export type WorkersOption = number | 'auto';

export interface WorkerPlan {
  /** Worker threads to start; 0 runs forward passes in the calling thread. */
  workers: number;
  /** ONNX Runtime intra-op threads per session (per worker, or the calling thread's one). */
  threads: number;
  /** Niceness the workers add to their own threads (Linux only; 0 elsewhere and with `workers: 0`). */
  nice: number;
}

/**
 * `workers: 'auto'` gives two workers (one copy of the model each, one intra-op thread each on two
 * cores) only while the model file is at most this share of the machine's memory; otherwise one
 * worker with every core. Two single-threaded sessions serve concurrent calls faster than one
 * two-threaded session, but a copy of a large model costs more than that is worth on a small host.
 * Measured on a 2-core machine (MiniLM shape, fp32, 20 DL19 candidates): 2 workers 1.40x the
 * in-thread requests/s at 4 clients for 1.63x its peak RSS; 1 worker 1.08x for 1.04x.
 */
export const AUTO_MODEL_SHARE_OF_MEMORY = 1 / 32;

/** Rejects bad `workers` / `workerNice` values; `load` calls it before anything is downloaded. */
export function checkWorkerOptions(workers: unknown, nice: unknown): void {
  if (workers !== undefined && workers !== 'auto' && (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS)) {
    throw new InvalidInputError(`options.workers must be 'auto' or an integer from 0 to ${MAX_WORKERS}, got ${describe(workers)}.`);
  }
  checkWorkerNice(nice);
}

/** The workers and threads to start for the model at `location` (its size decides `'auto'`). */
export function planWorkers(workers: WorkersOption | undefined, threads: number | undefined, location?: ModelLocation, nice?: number): WorkerPlan {
  checkWorkerOptions(workers, nice);
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const value = workers ?? 'auto';
  const count = value === 'auto' ? autoWorkers(cores, location) : value;
  const perWorker = count === 0 ? cores : Math.max(1, Math.floor(cores / count));
  return { workers: count, threads: threads ?? perWorker, nice: count > 0 && niceApplies() ? (nice ?? 0) : 0 };
}

/** 2 workers when there are 2+ cores and the model is small for this machine's memory, else 1 (see `AUTO_MODEL_SHARE_OF_MEMORY`). */
function autoWorkers(cores: number, location: ModelLocation | undefined): number {
  if (cores < 2) return 1;
  const bytes = location ? modelBytes(location) : 0;
  return bytes <= machineMemoryBytes() * AUTO_MODEL_SHARE_OF_MEMORY ? 2 : 1;
}

/** The ONNX file and the external weights it names (`model.onnx_data`, which other graphs may share), if any. */
export function modelBytes(location: ModelLocation): number {
  const file = path.join(location.folder, ...location.modelFile.split('/'));
  const graph = sizeOf(file);
  // A graph with external weights is small; only such a file is read, to find the files it names.
  const names = graph <= EXTERNAL_GRAPH_BYTES ? externalDataNames(readFileSync(file)) : [];
  return names.reduce((bytes, name) => bytes + sizeOf(path.join(path.dirname(file), name)), graph);
}

/** Graphs up to this size are scanned for external data references (the weights of larger ones are inline). */
const EXTERNAL_GRAPH_BYTES = 16 * 1024 * 1024;

/**
 * The `location` values of a graph's external data entries (`StringStringEntryProto`: field 1 the key,
 * field 2 the value, both length-delimited), found in its bytes without decoding the protobuf.
 */
export function externalDataNames(bytes: Uint8Array): string[] {
  const key = Buffer.from([0x0a, 0x08, ...Buffer.from('location')]);
  const names = new Set<string>();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = buffer.indexOf(key); at >= 0; at = buffer.indexOf(key, at + key.length)) {
    let p = at + key.length;
    if (buffer[p++] !== 0x12) continue;
    let length = 0;
    for (let shift = 0; p < buffer.length && shift < 28; shift += 7) {
      const byte = buffer[p++]!;
      length |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    const name = buffer.toString('utf8', p, p + length);
    // Only a file beside the graph counts (a name with a path part is read relative to it too, but never outside).
    if (length > 0 && p + length <= buffer.length && !name.includes('..')) names.add(name);
  }
  return [...names];
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The machine's memory, or the container's limit when one is set and lower (cgroups; Node >= 19.6). */
export function machineMemoryBytes(): number {
  const total = os.totalmem();
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  return constrained && constrained > 0 && constrained < total ? constrained : total;
}
