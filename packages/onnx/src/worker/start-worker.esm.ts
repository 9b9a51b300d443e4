/**
 * Starts a worker thread on crossrank's worker script: the ESM build's copy of start-worker.ts
 * (tsup.config.ts swaps it in), kept apart because `import.meta` does not compile to CommonJS.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { fileOfUrl, workerScriptInstead } from './worker-script.js';

export function startWorker(options: WorkerOptions): Worker {
  const instead = workerScriptInstead(fileOfUrl(import.meta.url), 'worker.mjs');
  if (instead) return new Worker(instead, options);
  // Written out in place: @vercel/nft traces this form and Turbopack copies the file it names beside
  // the server chunks (checked in .ci/packed/deploy.mjs); it is also the form webpack 5 documents.
  return new Worker(new URL('./worker.mjs', import.meta.url), options);
}
