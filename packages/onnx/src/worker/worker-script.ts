import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerFailedError } from '../errors.js';

/** Environment variable naming the worker script, for bundles that move it. */
export const WORKER_SCRIPT_ENV = 'CROSSRANK_WORKER_SCRIPT';

/** The worker script of each build: ESM code starts `worker.mjs`, CommonJS code `worker.cjs`. */
export type WorkerScriptName = 'worker.mjs' | 'worker.cjs';

/**
 * Which script to start instead of the one `start-worker` names beside its module file, or
 * `undefined` to start that one.
 *
 * The file beside the module is named in `start-worker` by a literal that `@vercel/nft`, webpack
 * and Turbopack follow, so they ship (or bundle) it with the code; a bundler that rewrote that
 * literal may also have moved this module, so a module file that is not on disk, or has the script
 * beside it, starts the literal. Only a module file that is on disk *without* the script beside it
 * (an esbuild or Rollup bundle, or the package sources under ts-jest) looks further: the installed
 * `@crossrank/onnx`'s own copy. Nothing found is a `WorkerFailedError` that says what to do; never a
 * silent fall back to running in the calling thread.
 */
export function workerScriptInstead(moduleFile: string | undefined, name: WorkerScriptName): string | undefined {
  const override = process.env[WORKER_SCRIPT_ENV];
  if (override) {
    const file = path.resolve(override);
    if (existsSync(file)) return file;
    throw notFound([file], name);
  }
  if (moduleFile === undefined) return undefined;
  const beside = path.join(path.dirname(moduleFile), name);
  if (!existsSync(moduleFile) || existsSync(beside)) return undefined;
  const installed = installedWorkerScript(moduleFile, name);
  if (installed) return installed;
  throw notFound([beside, `${name} of an installed @crossrank/onnx`], name);
}

/** The file an `import.meta.url` names; `undefined` when a bundler made it something else. */
export function fileOfUrl(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}

/** The `dist/` copy of the `@crossrank/onnx` that `moduleFile` would resolve, if it is installed. */
function installedWorkerScript(moduleFile: string, name: WorkerScriptName): string | undefined {
  let manifest: string;
  try {
    // From a variable, not `import.meta.url`: a bundler must not turn this into its own resolution.
    manifest = createRequire(moduleFile).resolve('@crossrank/onnx/package.json');
  } catch {
    return undefined;
  }
  const file = path.join(path.dirname(manifest), 'dist', name);
  return existsSync(file) ? file : undefined;
}

function notFound(looked: string[], name: WorkerScriptName): WorkerFailedError {
  return new WorkerFailedError(
    `crossrank's worker script was not found (looked for ${looked.join(', ')}). @crossrank/onnx ships it as dist/worker.mjs (ESM) and ` +
      `dist/worker.cjs (CommonJS), found beside its module files. If a bundler moved @crossrank/onnx into your bundle, keep ` +
      `@crossrank/onnx external (installed in node_modules), or set ${WORKER_SCRIPT_ENV} to the path of a copy of ` +
      `node_modules/@crossrank/onnx/dist/worker.cjs; or load with { workers: 0 } to run forward passes in the calling thread. ` +
      `(This code wanted ${name}.)`,
  );
}
