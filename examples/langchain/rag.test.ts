import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from '@crossrank/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GENERATED_MODEL_NOTE } from '../demo/model';
import { HashingEmbeddings } from './hashing-embeddings';
import { DEFAULT_QUERY, PASSAGES } from './passages';

// Runs the example as a user would (tsx, ESM, built packages, its own throwaway Chroma server) with a
// generated model and no OPENAI_API_KEY, and checks it prints the cross-encoder's 3 best of the 20
// passages Chroma retrieved.
const run = promisify(execFile);
const EXAMPLES = join(__dirname, '..');

/** Chroma's first stage, exactly: the 20 passages nearest the query (unit vectors, so L2 order = dot product order). */
async function nearest20(query: string) {
  const embeddings = new HashingEmbeddings();
  const q = await embeddings.embedQuery(query);
  const vectors = await embeddings.embedDocuments(PASSAGES.map((p) => p.text));
  const similarity = vectors.map((v) => v.reduce((sum, x, i) => sum + x * q[i]!, 0));
  return PASSAGES.map((passage, i) => ({ passage, similarity: similarity[i]! }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 20)
    .map(({ passage }) => passage);
}

it('prints the 3 reranked passages from Chroma and skips generation without OPENAI_API_KEY', async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('langchain-example'), ...TEST_MODEL_SHAPES.tiny, seed: 5 });
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['OPENAI_API_KEY'];
  delete env['CHROMA_URL'];
  const script = run(process.execPath, ['--import', 'tsx', join('langchain', 'rag.ts'), '--model', dir], { cwd: EXAMPLES, env });

  const candidates = await nearest20(DEFAULT_QUERY);
  const encoder = await CrossEncoder.load(dir, { localFilesOnly: true });
  const best = await encoder.rerank(DEFAULT_QUERY, candidates.map((p) => p.text), { topN: 3 });
  await encoder.dispose();
  const expected = best.map(({ index, score }, i) => {
    const { title, source, text } = candidates[index]!;
    return `${i + 1}. [${score.toFixed(4)}] ${title} (${source}): ${text}`;
  });

  const { stdout } = await script;
  expect(stdout.split('\n').filter((line) => /^\d+\. \[/.test(line))).toEqual(expected);
  expect(stdout).toMatch(/Top 3 of 20 retrieved, reranked in \d+ ms:/);
  expect(stdout).toContain('Generation skipped: OPENAI_API_KEY is not set.');
  expect(stdout).toContain(GENERATED_MODEL_NOTE);
});

it('reranks with a causal-LM reranker (a generated Qwen3-style model) and its --instruction', async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('langchain-example-qwen3'), architecture: 'qwen3', seed: 5 });
  const instruction = 'Given a question about containers, find the passage that answers it';
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['OPENAI_API_KEY'];
  delete env['CHROMA_URL'];
  const script = run(process.execPath, ['--import', 'tsx', join('langchain', 'rag.ts'), '--model', dir, '--instruction', instruction], { cwd: EXAMPLES, env });

  const candidates = await nearest20(DEFAULT_QUERY);
  const encoder = await CrossEncoder.load(dir, { localFilesOnly: true, instruction });
  const best = await encoder.rerank(DEFAULT_QUERY, candidates.map((p) => p.text), { topN: 3 });
  // The instruction reaches the model: without it the scores differ.
  const plain = await encoder.rerank(DEFAULT_QUERY, candidates.map((p) => p.text), { topN: 3, instruction: '' });
  await encoder.dispose();
  expect(plain.map((r) => r.score)).not.toEqual(best.map((r) => r.score));
  const expected = best.map(({ index, score }, i) => {
    const { title, source, text } = candidates[index]!;
    return `${i + 1}. [${score.toFixed(4)}] ${title} (${source}): ${text}`;
  });

  const { stdout } = await script;
  expect(stdout).toContain(`Instruction: ${instruction}`);
  expect(stdout.split('\n').filter((line) => /^\d+\. \[/.test(line))).toEqual(expected);
  expect(stdout).toContain(GENERATED_MODEL_NOTE);
});

it('offline without --model, explains what to do instead of printing a raw ModelNotFoundError', async () => {
  const emptyCache = mkdtempSync(join(tmpdir(), 'crossrank-langchain-empty-cache-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CROSSRANK_OFFLINE: '1', CROSSRANK_CACHE_DIR: emptyCache };
  for (const key of ['OPENAI_API_KEY', 'CHROMA_URL', 'INIT_CWD']) delete env[key];
  try {
    const failure = await run(process.execPath, ['--import', 'tsx', join('langchain', 'rag.ts')], { cwd: EXAMPLES, env }).then(
      () => undefined,
      (error: { code?: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const stderr = failure!.stderr;
    expect(stderr).toMatch(/^Could not load the cross-encoder "Xenova\/ms-marco-MiniLM-L-6-v2" \(fp32\): it is not in the model cache, and offline mode \(CROSSRANK_OFFLINE\)/);
    expect(stderr).toContain('pnpm langchain --model <folder>');
    expect(stderr).toContain('pnpm --filter @crossrank/examples demo:test-model');
    expect(stderr).toContain(join(emptyCache, 'hub'));
    expect(stderr).not.toMatch(/^ModelNotFoundError:/m);
    expect(stderr).not.toMatch(/^\s+at .+[:(]\d+/m);
    expect(failure!.stdout).not.toContain(GENERATED_MODEL_NOTE);
  } finally {
    rmSync(emptyCache, { recursive: true, force: true });
  }
});
