import { defineConfig } from 'tsup';

// Dual ESM + CJS with declarations. `@langchain/core` is a peer and `@crossrank/core` a dependency:
// both stay external so the app's single copy of each is the one used (LangChain's `instanceof`
// checks and callback managers break across duplicated copies).
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // esbuild renames a class that refers to itself (`_CrossEncoder`); users see class names in errors and logs.
  keepNames: true,
  external: ['@crossrank/core', '@crossrank/onnx', /^@langchain\/core/],
  // One loader per format for the optional peer @crossrank/onnx (src/load-cross-encoder.ts).
  esbuildOptions(options, { format }) {
    options.define = { ...options.define, __CROSSRANK_CJS__: format === 'cjs' ? 'true' : 'false' };
  },
});
