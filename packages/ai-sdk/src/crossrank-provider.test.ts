import { InvalidArgumentError, NoSuchModelError } from '@ai-sdk/provider';
import { DisposedError, InvalidInputError, ModelNotFoundError } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder } from '@crossrank/testing';
import { rerank } from 'ai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCrossrank, crossrank } from './index.js';
import { PASSAGES, QUERY, testModelDir } from './test-support/test-model.js';

let dir: string;
let reference: CrossEncoder;
let warnings: unknown[];

beforeAll(async () => {
  dir = await testModelDir();
  reference = await CrossEncoder.load(dir, { dtype: 'q8' });
});
afterAll(async () => {
  await reference?.dispose();
});
beforeEach(() => {
  warnings = [];
  (globalThis as { AI_SDK_LOG_WARNINGS?: unknown }).AI_SDK_LOG_WARNINGS = (options: { warnings: unknown[] }) => warnings.push(...options.warnings);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('rerank() from ai on a local model', () => {
  it('ranks as CrossEncoder.rerank does, with topN, the documents and crossrank metadata', async () => {
    const model = crossrank.rerankingModel(dir, { dtype: 'q8' });
    const result = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 3 });
    const expected = await reference.rerank(QUERY, PASSAGES, { topN: 3 });

    expect(result.ranking.map((r) => r.originalIndex)).toEqual(expected.map((r) => r.index));
    result.ranking.forEach((r, i) => {
      expect(r.score).toBe(expected[i]!.score);
      expect(r.document).toBe(PASSAGES[r.originalIndex]);
    });
    expect(result.rerankedDocuments).toEqual(expected.map((r) => PASSAGES[r.index]));
    const meta = result.providerMetadata?.crossrank as Record<string, unknown>;
    expect(meta).toMatchObject({ model: dir, dtype: 'q8', documents: PASSAGES.length });
    expect(meta.loadMs).toBeGreaterThan(0);
    expect(meta.scoreMs).toBeGreaterThan(0);
    expect(model.provider).toBe('crossrank.onnx');
    expect(model.modelId).toBe(dir);
    expect(warnings).toEqual([]);
    await model.dispose();
  });

  it('without topN returns every document, scored in the model\'s scale and sorted descending', async () => {
    const model = crossrank(dir, { dtype: 'q8' });
    const { ranking } = await rerank({ model, documents: PASSAGES, query: QUERY });
    expect(ranking.map((r) => r.originalIndex).sort()).toEqual(PASSAGES.map((_, i) => i));
    // The generated model's config declares Identity (as ms-marco-MiniLM-L-6-v2's does): raw logits.
    expect(ranking.some((r) => r.score < 0 || r.score > 1)).toBe(true);
    for (const [i, r] of ranking.entries()) {
      expect(Number.isFinite(r.score)).toBe(true);
      if (i > 0) expect(ranking[i - 1]!.score).toBeGreaterThanOrEqual(r.score);
    }
    await model.dispose();
  });

  it('loads the model once when the first calls race, and reports the load only while it waits', async () => {
    const load = vi.spyOn(CrossEncoder, 'load');
    const model = crossrank.rerankingModel(dir, { dtype: 'q8' });
    const results = await Promise.all([0, 1, 2].map(() => rerank({ model, documents: PASSAGES, query: QUERY, topN: 2 })));
    expect(load).toHaveBeenCalledTimes(1);
    expect(results[1]!.ranking).toEqual(results[0]!.ranking);
    const later = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 2 });
    expect(load).toHaveBeenCalledTimes(1);
    const firstLoad = (results[0]!.providerMetadata?.crossrank as { loadMs: number }).loadMs;
    expect((later.providerMetadata?.crossrank as { loadMs: number }).loadMs).toBeLessThan(firstLoad);
    await model.dispose();
  });

  it('object documents: JSON text with a compatibility warning by default', async () => {
    const documents = PASSAGES.map((text, id) => ({ id, text }));
    const model = crossrank.rerankingModel(dir, { dtype: 'q8' });
    const result = await rerank({ model, documents, query: QUERY, topN: 3 });
    const expected = await reference.rerank(QUERY, documents.map((d) => JSON.stringify(d)), { topN: 3 });
    expect(result.ranking.map((r) => [r.originalIndex, r.score])).toEqual(expected.map((r) => [r.index, r.score]));
    expect(result.rerankedDocuments[0]).toBe(documents[expected[0]!.index]);
    expect(warnings).toEqual([expect.objectContaining({ type: 'compatibility', feature: 'object documents' })]);
    await model.dispose();
  });

  it("object documents: providerOptions.crossrank.fields scores those fields' text, without a warning", async () => {
    const documents = PASSAGES.map((content, id) => ({ id, title: `Note ${id}`, content, tags: ['x'] }));
    const before = structuredClone(documents);
    const model = crossrank.rerankingModel(dir, { dtype: 'q8' });
    const result = await rerank({
      model,
      documents,
      query: QUERY,
      topN: 3,
      providerOptions: { crossrank: { fields: ['title', 'content'] } },
    });
    const expected = await reference.rerank(QUERY, documents.map((d) => `${d.title}\n${d.content}`), { topN: 3 });
    expect(result.ranking.map((r) => [r.originalIndex, r.score])).toEqual(expected.map((r) => [r.index, r.score]));
    expect(warnings).toEqual([]);
    expect(documents).toEqual(before);
    await model.dispose();
  });

  it('rejects bad providerOptions with InvalidArgumentError, before loading and without retries', async () => {
    const load = vi.spyOn(CrossEncoder, 'load');
    const model = crossrank.rerankingModel(dir);
    const documents = [{ title: 'a' }, { title: 'b' }];
    for (const fields of [[], 'title', [''], ['title', 'title'], [3]]) {
      const call = rerank({ model, documents, query: QUERY, providerOptions: { crossrank: { fields } as never } });
      await expect(call).rejects.toSatisfy((e) => InvalidArgumentError.isInstance(e) && e.argument === 'providerOptions');
    }
    await expect(rerank({ model, documents, query: QUERY, providerOptions: { crossrank: { feilds: ['title'] } } })).rejects.toThrow(
      /unknown option "feilds"\. Did you mean "fields"\?/,
    );
    await expect(rerank({ model, documents, query: QUERY, providerOptions: { crossrank: { fields: ['body'] } } })).rejects.toThrow(
      /documents\[0\] has none of the fields .*"body".*its fields are "title"/,
    );
    expect(load).not.toHaveBeenCalled();
  });

  it('providerOptions.crossrank.scoreThreshold drops low scores before topN', async () => {
    const model = crossrank.rerankingModel(dir, { dtype: 'q8' });
    const all = await reference.rerank(QUERY, PASSAGES);
    const threshold = all[2]!.score;
    const { ranking } = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 5, providerOptions: { crossrank: { scoreThreshold: threshold } } });
    expect(ranking.map((r) => r.originalIndex)).toEqual(all.filter((r) => r.score >= threshold).slice(0, 5).map((r) => r.index));
    await model.dispose();
  });

  it('an empty document list returns an empty ranking without loading the model', async () => {
    const load = vi.spyOn(CrossEncoder, 'load');
    const result = await rerank({ model: crossrank.rerankingModel(dir), documents: [], query: QUERY, topN: 3 });
    expect(result.ranking).toEqual([]);
    expect(load).not.toHaveBeenCalled();
  });

  it('headers on a local model: an unsupported warning, and the call still works', async () => {
    const model = crossrank.rerankingModel(dir, { dtype: 'q8' });
    const { ranking } = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 1, headers: { 'x-trace': '1' } });
    expect(ranking).toHaveLength(1);
    expect(warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'headers' })]);
    await model.dispose();
  });

  it('a missing model fails once (no retries) with ModelNotFoundError, and the next call loads it once it exists', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'crossrank-ai-sdk-'));
    try {
      const load = vi.spyOn(CrossEncoder, 'load');
      const model = createCrossrank({ loadOptions: { localFilesOnly: true } }).rerankingModel(join(folder, 'model'));
      await expect(rerank({ model, documents: PASSAGES, query: QUERY })).rejects.toBeInstanceOf(ModelNotFoundError);
      expect(load).toHaveBeenCalledTimes(1);
      await createTestCrossEncoder({ dir: join(folder, 'model') });
      const { ranking } = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 2 });
      expect(ranking).toHaveLength(2);
      expect(load).toHaveBeenCalledTimes(2);
      await model.dispose();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('an already aborted signal rejects with its AbortError before anything loads', async () => {
    const load = vi.spyOn(CrossEncoder, 'load');
    const controller = new AbortController();
    controller.abort();
    const call = rerank({ model: crossrank.rerankingModel(dir), documents: PASSAGES, query: QUERY, abortSignal: controller.signal });
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(load).not.toHaveBeenCalled();
  });

  it('an abort while the model loads rejects that call at once; the load goes on and serves the next call', async () => {
    const load = vi.spyOn(CrossEncoder, 'load');
    const model = crossrank.rerankingModel(dir, { dtype: 'q8' });
    const controller = new AbortController();
    const call = rerank({ model, documents: PASSAGES, query: QUERY, abortSignal: controller.signal });
    await vi.waitFor(() => expect(load).toHaveBeenCalledTimes(1));
    controller.abort(new Error('user left'));
    await expect(call).rejects.toThrow('user left');
    const { ranking } = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 1 });
    expect(ranking).toHaveLength(1);
    expect(load).toHaveBeenCalledTimes(1);
    await model.dispose();
  });

  it('an abort during scoring rejects with the abort reason, not a retried error', async () => {
    const model = crossrank.rerankingModel(dir, { dtype: 'q8' });
    await rerank({ model, documents: PASSAGES.slice(0, 1), query: QUERY }); // loaded
    const controller = new AbortController();
    // Abort right after scoring has started, so the engine sees it between batches.
    const original = CrossEncoder.prototype.rerank;
    const scoring = vi.spyOn(CrossEncoder.prototype, 'rerank').mockImplementation(function (this: CrossEncoder, ...args) {
      const running = original.apply(this, args);
      controller.abort();
      return running;
    });
    const many = Array.from({ length: 64 }, (_, i) => `${PASSAGES[i % PASSAGES.length]} (${i})`);
    const call = rerank({ model, documents: many, query: QUERY, abortSignal: controller.signal, maxRetries: 2 });
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(scoring).toHaveBeenCalledTimes(1);
    await model.dispose();
  });

  it('a disposed model refuses further calls with DisposedError', async () => {
    const model = crossrank.rerankingModel(dir, { dtype: 'q8' });
    await rerank({ model, documents: PASSAGES, query: QUERY, topN: 1 });
    await model.dispose();
    await expect(rerank({ model, documents: PASSAGES, query: QUERY })).rejects.toBeInstanceOf(DisposedError);
  });
});

describe('the provider', () => {
  it('providerOptions.crossrank.instruction reaches the reranker; without it the call carries no instruction key', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const recording = { rerank: async (_query: string, documents: readonly string[], options: Record<string, unknown> = {}) => (seen.push({ ...options }), documents.map((_, index) => ({ index, score: 1 - index / 10 }))) };
    const model = crossrank.fromReranker(recording);
    await rerank({ model, query: QUERY, documents: ['a', 'b'], providerOptions: { crossrank: { instruction: 'Find the passage that answers it' } } });
    await rerank({ model, query: QUERY, documents: ['a', 'b'] });
    expect(seen[0]).toMatchObject({ instruction: 'Find the passage that answers it' });
    expect(seen[1]).not.toHaveProperty('instruction');
  });

  it('makes reranking models only: other kinds throw NoSuchModelError', () => {
    for (const kind of ['languageModel', 'embeddingModel', 'imageModel'] as const) {
      let thrown: unknown;
      try {
        crossrank[kind]('gpt-4o-mini');
      } catch (error) {
        thrown = error;
      }
      expect(NoSuchModelError.isInstance(thrown)).toBe(true);
      expect(thrown).toMatchObject({ modelId: 'gpt-4o-mini', modelType: kind });
    }
    expect(crossrank.specificationVersion).toBe('v4');
  });

  it('rejects unusable construction arguments with InvalidInputError', () => {
    expect(() => crossrank.rerankingModel('')).toThrow(InvalidInputError);
    expect(() => crossrank.rerankingModel(dir, 'q8' as never)).toThrow(/options must be an object like \{ dtype: 'q8' \}/);
    expect(() => createCrossrank({ loadOptions: 5 as never })).toThrow(/settings\.loadOptions must be an object/);
    expect(() => crossrank.fromReranker({} as never)).toThrow(/needs a Reranker/);
    expect(() => crossrank.fromReranker(reference, { modelId: '' })).toThrow(/options\.modelId must be a non-empty string/);
  });

  it("keeps the load options it was made with, even if the caller's object changes later", async () => {
    const load = vi.spyOn(CrossEncoder, 'load');
    const options = { dtype: 'q8' as const };
    const model = crossrank.rerankingModel(dir, options);
    (options as { dtype: string }).dtype = 'fp16';
    await rerank({ model, documents: PASSAGES, query: QUERY, topN: 1 });
    expect(load).toHaveBeenCalledWith(dir, { dtype: 'q8' });
    await model.dispose();
  });
});
