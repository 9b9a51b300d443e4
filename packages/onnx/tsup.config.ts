import path from 'node:path';
import { defineConfig } from 'tsup';

/**
 * The ESM build starts its worker from src/worker/start-worker.esm.ts, which names the script as
 * `new URL('./worker.js', import.meta.url)`; the CJS build (and the sources under ts-jest) from
 * start-worker.ts, `path.join(__dirname, 'worker.cjs')`. Two files rather than one with a branch per
 * format: each build then holds only its own form, so tracers and bundlers ship one worker, not both.
 */
const startWorkerPerFormat = {
  name: 'crossrank-start-worker-per-format',
  setup(build: { initialOptions: { format?: string }; onResolve: (o: { filter: RegExp }, cb: (args: { path: string; resolveDir: string }) => { path: string }) => void }) {
    if (build.initialOptions.format !== 'esm') return;
    build.onResolve({ filter: /^\.\/start-worker\.js$/ }, (args) => ({ path: path.join(args.resolveDir, 'start-worker.esm.ts') }));
  },
};

// ESM + CJS with declarations per format. Dependencies stay external (tsup's default), so the app's
// single @crossrank/core supplies the error classes and @huggingface/transformers its ONNX Runtime.
export default defineConfig({
  // The worker thread's script ships beside the entries (dist/worker.js, dist/worker.cjs); it is in
  // `files` but not `exports`, and named from the module file's folder (src/worker/start-worker*.ts).
  entry: { index: 'src/index.ts', worker: 'src/worker/entry.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // esbuild renames a class that refers to itself (`_CrossEncoder`); users see class names in errors and logs.
  keepNames: true,
  // `__dirname`/`import.meta.url` locate the worker script in both builds.
  shims: true,
  esbuildPlugins: [startWorkerPerFormat],
  // Which build a module is in, so it starts the worker script of the same format.
  esbuildOptions(options, context) {
    options.define = { ...options.define, __CROSSRANK_BUILD_FORMAT__: JSON.stringify(context.format) };
  },
});
