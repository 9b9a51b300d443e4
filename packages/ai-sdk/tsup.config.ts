import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  // ESM only, like `ai` 7 and `@ai-sdk/provider` 4 themselves.
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  // Resolved from the user's install. The engine (@crossrank/core today, @crossrank/onnx after the
  // split) is only reached through `await import()` in load-cross-encoder.ts.
  external: ['@crossrank/core', '@ai-sdk/provider'],
});
