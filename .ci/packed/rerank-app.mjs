// The smallest rerank app, ESM, default load options (worker threads): what the traced copy, the
// esbuild bundle and every runtime run. Prints the worker count and the top 3 of 20 candidates.
import { readFileSync } from 'node:fs';
import { CrossEncoder } from '@crossrank/onnx';

const { query, candidates } = JSON.parse(readFileSync(new URL('./candidates.json', import.meta.url), 'utf8'));
const encoder = await CrossEncoder.load(process.env.CROSSRANK_MODEL);
try {
  const top = await encoder.rerank(query, candidates, { topN: 3 });
  console.log(JSON.stringify({ workers: encoder.info.workers, top }));
} finally {
  await encoder.dispose();
}
