import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from '@crossrank/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
});
