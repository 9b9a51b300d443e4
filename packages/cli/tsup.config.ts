import { defineConfig } from 'tsup';

// A CLI needs one ESM entry, no declarations; the shebang makes `dist/cli.js` runnable as the bin.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // esbuild renames a class that refers to itself (`_CrossEncoder`); users see class names in errors and logs.
  keepNames: true,
  banner: { js: '#!/usr/bin/env node' },
  external: ['@crossrank/core', '@crossrank/onnx', '@crossrank/api'],
});
