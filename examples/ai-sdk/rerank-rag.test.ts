// Runs the example as a user would (tsx, the built packages) on a generated model with no
// OPENAI_API_KEY, and checks its 3 passages are the cross-encoder's best of the store's 20.
import { CrossEncoder } from '@crossrank/core';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/core/testing';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { loadStore } from './store.js';

const run = promisify(execFile);
const EXAMPLES = fileURLToPath(new URL('..', import.meta.url));
const TSX = createRequire(join(EXAMPLES, 'package.json')).resolve('tsx');
const QUERY = 'How does Docker networking work?';

function env(): NodeJS.ProcessEnv {
  const copy = { ...process.env };
  for (const key of ['OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete copy[key];
  return copy;
}

function example(args: string[]) {
  return run(process.execPath, ['--import', TSX, join('ai-sdk', 'rerank-rag.ts'), ...args], { cwd: EXAMPLES, env: env() });
}

it("retrieves 20, reranks to the cross-encoder's best 3, says the weights are random, and answers with the mock model", async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('ai-sdk-example'), quantized: true, seed: 7 });
  const running = example(['--model', dir]);

  const candidates = loadStore().search(QUERY, 20);
  expect(candidates).toHaveLength(20);
  const encoder = await CrossEncoder.load(dir, { dtype: 'q8', localFilesOnly: true });
  const best = await encoder.rerank(QUERY, candidates.map((p) => `${p.title}\n${p.text}`), { topN: 3 });
  await encoder.dispose();

  const { stdout, stderr } = await running;
  expect(stderr).toBe('');
  expect(stdout).toContain('Retrieved 20 of 202 passages');
  expect(stdout).toMatch(/Reranked to 3 in \d+ ms \(model load \d+ ms\)\./);
  expect(stdout).toContain('generated test model (random weights), so its order and scores mean nothing; scores are not shown.');
  expect(stdout.split('\n').filter((line) => /^\d\. /.test(line))).toEqual(best.map((r, i) => `${i + 1}. ${candidates[r.index]!.title}`));
  expect(stdout).not.toMatch(/\[0\.\d{4}\]/);
  expect(stdout).toContain("OPENAI_API_KEY is not set: generateText ran on the AI SDK's mock language model (ai/test)");
  expect(stdout).toContain('(mock model: no answer written; it received the question and 3 passages)');
});

it('a model folder that does not exist ends with a plain error saying what to do, not a stack trace', async () => {
  const failure = await example(['--model', join(EXAMPLES, '.cache', 'no-such-model')]).catch((e: { code: number; stdout: string; stderr: string }) => e);
  expect(failure).toMatchObject({ code: 1 });
  const { stderr } = failure as { stderr: string };
  expect(stderr).toMatch(/^ModelNotFoundError: /);
  expect(stderr).not.toMatch(/^\s+at /m);
});
