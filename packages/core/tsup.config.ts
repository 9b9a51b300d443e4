import { defineConfig } from 'tsup';

// The contract package: one entry, no runtime dependencies, ESM + CJS with declarations per format.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
