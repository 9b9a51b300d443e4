import ort from '/work/wt/workers/node_modules/.pnpm/onnxruntime-node@1.30.0/node_modules/onnxruntime-node/dist/index.js';
import fs from 'node:fs';
const file = '/tmp/wk/minilm/onnx/model.onnx';
const mode = process.argv[2]; const n = Number(process.argv[3]);
const opts = { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', extra: { 'session.intra_op.allow_spinning': '0' } };
for (let i = 1; i <= n; i++) {
  const src = mode === 'path' ? file : new Uint8Array(fs.readFileSync(file));
  const s = await ort.InferenceSession.create(src, opts);
  await s.release();
  if (i === 5 || i === n) { global.gc(); console.log(mode, i, (process.memoryUsage().rss / 1e6).toFixed(0)); }
}
