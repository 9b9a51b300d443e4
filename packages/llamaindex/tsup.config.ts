import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Both are resolved from the user's install: core carries the ONNX runtime, llamaindex is a peer
  // (and only its types are used, so nothing from it is loaded at run time).
  external: ['@crossrank/core', '@crossrank/onnx', 'llamaindex'],
});
