import { existsSync } from 'node:fs';
import path from 'node:path';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { CrossEncoder } from '../cross-encoder.js';

// A causal-LM reranker over 2 GB keeps its weights in `onnx/model.onnx_data` beside the graph (ONNX
// external data), as Qwen3-Reranker-0.6B's fp32 export does. The same tiny model written that way and
// inline must load from a local folder and score identically, fp32 and q8, in-thread and on a worker.
const SHAPE = { architecture: 'qwen3', layers: 2, hidden: 32, heads: 4, intermediate: 64, seed: 5, quantized: true } as const;
const PAIRS: Array<[string, string]> = [
  ['what is a bridge network', 'Docker attaches containers to the docker0 bridge.'],
  ['how long do cats live', 'Indoor cats often live fifteen years or more.'],
  ['q', 'a short document'],
];
// Full-vocabulary logits on a busy 2-core machine: a generous limit.
const SLOW = 300_000;
let inline: string;
let external: string;

beforeAll(async () => {
  ({ dir: inline } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-qwen3-inline'), ...SHAPE }));
  ({ dir: external } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-qwen3-external'), ...SHAPE, externalData: true }));
}, SLOW);

async function scores(dir: string, options: Parameters<typeof CrossEncoder.load>[1]): Promise<number[]> {
  const encoder = await CrossEncoder.load(dir, { threads: 1, ...options });
  try {
    expect(encoder.info.causal).toBeDefined();
    return Array.from(await encoder.predict(PAIRS));
  } finally {
    await encoder.dispose();
  }
}

it.each([
  ['fp32', 'onnx/model.onnx_data'],
  ['q8', 'onnx/model_quantized.onnx_data'],
] as const)('loads %s with its weights in external data and scores as the inline model does', async (dtype, dataFile) => {
  expect(existsSync(path.join(external, ...dataFile.split('/')))).toBe(true);
  expect(existsSync(path.join(inline, ...dataFile.split('/')))).toBe(false);
  const expected = await scores(inline, { dtype, workers: 0 });
  expect(await scores(external, { dtype, workers: 0 })).toEqual(expected);
  // A worker thread opens the graph by path too, and finds the data beside it.
  expect(await scores(external, { dtype, workers: 1 })).toEqual(expected);
}, SLOW);
