import { existsSync } from 'node:fs';
import path from 'node:path';
import { WorkerFailedError } from '../errors.js';

/** Set by tsup per build ('esm' or 'cjs'); undefined when the sources run directly (ts-jest). */
declare const __CROSSRANK_BUILD_FORMAT__: string | undefined;

/** Environment variable naming the worker script, for bundles that move it. */
export const WORKER_SCRIPT_ENV = 'CROSSRANK_WORKER_SCRIPT';

/**
 * The worker thread's script: `dist/worker.js` (ESM) or `dist/worker.cjs` (CommonJS) beside the
 * module file that runs this, the build matching the caller's first. From the package sources
 * (tests), the built `dist/worker.cjs`.
 */
export function findWorkerScript(): string {
  const override = process.env[WORKER_SCRIPT_ENV];
  const names = typeof __CROSSRANK_BUILD_FORMAT__ !== 'undefined' && __CROSSRANK_BUILD_FORMAT__ === 'esm' ? ['worker.js', 'worker.cjs'] : ['worker.cjs', 'worker.js'];
  const candidates = override ? [path.resolve(override)] : [...names.map((name) => path.join(__dirname, name)), path.join(__dirname, '..', '..', 'dist', 'worker.cjs')];
  const found = candidates.find((file) => existsSync(file));
  if (found) return found;
  throw new WorkerFailedError(
    `crossrank's worker script was not found (looked for ${candidates.join(', ')}). @crossrank/core ships it as dist/worker.js and ` +
      `dist/worker.cjs beside its entry files: if a bundler moved the entry, copy that file next to the bundle or set ${WORKER_SCRIPT_ENV} ` +
      'to its path; or load with { workers: 0 } to run forward passes in the calling thread.',
  );
}
