// rerank-app.mjs as CommonJS: require() loads @crossrank/onnx's CJS build and its worker.cjs.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { CrossEncoder } = require('@crossrank/onnx');

(async () => {
  const { query, candidates } = JSON.parse(readFileSync(join(__dirname, 'candidates.json'), 'utf8'));
  const encoder = await CrossEncoder.load(process.env.CROSSRANK_MODEL);
  try {
    const top = await encoder.rerank(query, candidates, { topN: 3 });
    console.log(JSON.stringify({ workers: encoder.info.workers, top }));
  } finally {
    await encoder.dispose();
  }
})();
