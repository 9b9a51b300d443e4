/**
 * Starts a worker thread on crossrank's worker script: the CommonJS build's copy (the ESM build
 * uses start-worker.esm.ts instead; see tsup.config.ts). Also what the package sources use.
 */
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { workerScriptInstead } from './worker-script.js';

export function startWorker(options: WorkerOptions): Worker {
  const instead = workerScriptInstead(__filename, 'worker.cjs');
  if (instead) return new Worker(instead, options);
  // Written out in place, and `join` imported by name: @vercel/nft follows `join(__dirname, '<literal>')`
  // but not the default-import form (esbuild wraps that in `__toESM(require(...)).default`).
  return new Worker(join(__dirname, 'worker.cjs'), options);
}
