import { defineConfig } from 'tsup';

// ESM + CJS with declarations per format. @crossrank/core stays external (a dependency), so an API
// backend's errors are the same classes as every other package's.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // esbuild renames a class that refers to itself; users see class names in errors and logs.
  keepNames: true,
});
