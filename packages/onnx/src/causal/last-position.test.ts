import path from 'node:path';
import { createTestCrossEncoder, defaultTestModelDir, keepLastPositionFile } from '@crossrank/testing';
import { CrossEncoder } from '../cross-encoder.js';

// keepLastPositionFile rewrites a causal LM's graph so the LM head runs on the last position only
// (`logits` [batch, vocabulary]). The rewritten graph, beside the original and sharing its external
// data, must score as the original does: fp32 and q8, one pair per pass and batched (left padding).
const SHAPE = { architecture: 'qwen3', layers: 2, hidden: 32, heads: 4, intermediate: 64, seed: 6, quantized: true, externalData: true } as const;
const PAIRS: Array<[string, string]> = [
  ['what is a bridge network', 'Docker attaches containers to the docker0 bridge, a virtual switch on the host.'],
  ['how long do cats live', 'Indoor cats often live fifteen years or more.'],
  ['q', 'a short document'],
];
const SLOW = 300_000;
let dir: string;

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-qwen3-last'), ...SHAPE }));
}, SLOW);

async function scores(modelFile: string, batchSize: number): Promise<number[]> {
  const encoder = await CrossEncoder.load(dir, { threads: 1, workers: 0, modelFile, batchSize });
  try {
    return Array.from(await encoder.predict(PAIRS));
  } finally {
    await encoder.dispose();
  }
}

it.each([
  ['onnx/model.onnx', 'onnx/model_last.onnx'],
  ['onnx/model_quantized.onnx', 'onnx/model_quantized_last.onnx'],
])('%s rewritten to the last position scores as before', async (full, last) => {
  await keepLastPositionFile(path.join(dir, full), path.join(dir, last));
  for (const batchSize of [1, 8]) {
    const expected = await scores(full, batchSize);
    const actual = await scores(last, batchSize);
    actual.forEach((score, i) => expect(Math.abs(score - expected[i]!)).toBeLessThan(1e-4));
  }
}, SLOW);
