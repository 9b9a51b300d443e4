import { defineConfig } from 'tsup';

// ESM + CJS with declarations per format. Dependencies stay external (tsup's default), so the app's
// single @crossrank/core supplies the error classes and @huggingface/transformers its ONNX Runtime.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
