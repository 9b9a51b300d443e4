import { sigmoid } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { rerank } from 'ai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { crossrank } from './index.js';
import { PASSAGES, QUERY, testModelDir } from './test-support/test-model.js';

// One way to get scores in [0, 1] from any local model, so a threshold means the same for local and
// API backends: `activation: 'sigmoid'` in the model options. The generated model declares Identity.
let dir: string;
let logits: Array<{ index: number; score: number }>;
let raw: CrossEncoder;

beforeAll(async () => {
  dir = await testModelDir();
  raw = await CrossEncoder.load(dir, { dtype: 'q8', workers: 0 });
  logits = await raw.rerank(QUERY, PASSAGES);
  expect(logits.some((r) => r.score < 0 || r.score > 1)).toBe(true);
});
afterAll(async () => {
  await raw?.dispose();
});

it("rerankingModel(id, { activation: 'sigmoid' }) scores sigmoid(logit) in [0, 1], and scoreThreshold 0.5 keeps logits >= 0", async () => {
  const model = crossrank.rerankingModel(dir, { dtype: 'q8', activation: 'sigmoid' });
  const { ranking } = await rerank({ model, query: QUERY, documents: PASSAGES });
  expect(ranking.map((r) => r.originalIndex)).toEqual(logits.map((r) => r.index));
  ranking.forEach((r, i) => expect(r.score).toBeCloseTo(sigmoid(logits[i]!.score), 6));
  const kept = await rerank({ model, query: QUERY, documents: PASSAGES, providerOptions: { crossrank: { scoreThreshold: 0.5 } } });
  expect(kept.ranking.map((r) => r.originalIndex)).toEqual(logits.filter((r) => r.score >= 0).map((r) => r.index));
  await model.dispose();
});
