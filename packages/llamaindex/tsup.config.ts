import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // esbuild renames a class that refers to itself (`_CrossEncoder`); users see class names in errors and logs.
  keepNames: true,
  // All resolved from the user's install: core a dependency, onnx (ONNX Runtime) an optional peer, llamaindex a peer
  // (and only its types are used, so nothing from it is loaded at run time).
  external: ['@crossrank/core', '@crossrank/onnx', 'llamaindex'],
  // One loader per format for the optional peer @crossrank/onnx (src/load-cross-encoder.ts).
  esbuildOptions(options, { format }) {
    options.define = { ...options.define, __CROSSRANK_CJS__: format === 'cjs' ? 'true' : 'false' };
  },
});
