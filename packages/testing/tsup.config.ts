import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // esbuild renames a class that refers to itself; users see class names in errors and logs.
  keepNames: true,
  // `__dirname` is used to find the package's bundled tokenizer assets in both builds.
  shims: true,
});
