import { defineConfig } from 'tsup';

// The contract package: one entry, no runtime dependencies, ESM + CJS with declarations per format.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // esbuild renames a class that refers to itself (`_CrossEncoder`); users see class names in errors and logs.
  keepNames: true,
});
