import { defineConfig } from 'tsup';

// ESM + CJS with declarations per format. Dependencies stay external (tsup's default), so the app's
// single @crossrank/core supplies the error classes, and one onnxruntime-node its native binding.
export default defineConfig({
  // The worker thread's script ships beside the entries (dist/worker.js, dist/worker.cjs); it is in
  // `files` but not `exports`, and found at run time from the module file's folder.
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
  // Which build a module is in, so it starts the worker script of the same format.
  esbuildOptions(options, context) {
    options.define = { ...options.define, __CROSSRANK_BUILD_FORMAT__: JSON.stringify(context.format) };
  },
});
