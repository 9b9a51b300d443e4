import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker thread's script ships beside the entries (dist/worker.js, dist/worker.cjs); it is in
  // `files` but not `exports`, and found at run time from the module file's folder.
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', worker: 'src/worker/entry.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // `__dirname` is used to find the package's bundled tokenizer assets in both builds.
  shims: true,
  external: ['@huggingface/transformers', 'onnxruntime-node', 'onnx-proto', 'tokenizers'],
});
