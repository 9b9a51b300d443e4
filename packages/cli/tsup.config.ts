import { defineConfig } from 'tsup';

// The CLI is one ESM entry; the shebang makes `dist/cli.js` runnable as the bin. `serve` is the
// rerank server for use from code (`@crossrank/cli/serve`), the only entry with declarations.
export default defineConfig({
  entry: { cli: 'src/cli.ts', serve: 'src/serve/index.ts' },
  format: ['esm'],
  dts: { entry: { serve: 'src/serve/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  // esbuild renames a class that refers to itself (`_CrossEncoder`); users see class names in errors and logs.
  keepNames: true,
  banner: { js: '#!/usr/bin/env node' },
  external: ['@crossrank/core', '@crossrank/onnx', '@crossrank/api'],
});
