// Runs the example as a user would (tsx, the built packages) on a generated model with no
// OPENAI_API_KEY, and checks its 3 passages are the cross-encoder's best of the store's 20.
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { startFakeOpenAI } from '../demo/test-openai-server.js';
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

function example(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, ['--import', TSX, join('ai-sdk', 'rerank-rag.ts'), ...args], { cwd: EXAMPLES, env: { ...env(), ...extraEnv } });
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

it('reranks with a causal-LM reranker (a generated Qwen3-style model, q8) and sends --instruction per call', async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('ai-sdk-example-qwen3'), architecture: 'qwen3', quantized: true, seed: 7 });
  const instruction = 'Given a question about containers, find the passage that answers it';
  const running = example(['--model', dir, '--instruction', instruction]);

  const candidates = loadStore().search(QUERY, 20);
  const encoder = await CrossEncoder.load(dir, { dtype: 'q8', localFilesOnly: true });
  const texts = candidates.map((p) => `${p.title}\n${p.text}`);
  const best = await encoder.rerank(QUERY, texts, { topN: 3, instruction });
  const plain = await encoder.rerank(QUERY, texts, { topN: 3 });
  await encoder.dispose();
  // The instruction reaches the model: without it the scores differ.
  expect(plain.map((r) => r.score)).not.toEqual(best.map((r) => r.score));

  const { stdout, stderr } = await running;
  expect(stderr).toBe('');
  expect(stdout).toContain('generated test model (random weights)');
  expect(stdout.split('\n').filter((line) => /^\d\. /.test(line))).toEqual(best.map((r, i) => `${i + 1}. ${candidates[r.index]!.title}`));
});

it('a model folder that does not exist ends with a plain error saying what to do, not a stack trace', async () => {
  const failure = await example(['--model', join(EXAMPLES, '.cache', 'no-such-model')]).catch((e: { code: number; stdout: string; stderr: string }) => e);
  expect(failure).toMatchObject({ code: 1 });
  const { stderr } = failure as { stderr: string };
  expect(stderr).toMatch(/^ModelNotFoundError: /);
  expect(stderr).not.toMatch(/^\s+at /m);
});

it('with OPENAI_API_KEY, gpt-4o-mini answers from the 3 reranked passages (a local fake of the Responses API)', async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('ai-sdk-example'), quantized: true, seed: 7 });
  const openai = await startFakeOpenAI(() => ({
    status: 200,
    body: {
      id: 'resp_test',
      created_at: 1_700_000_000,
      model: 'gpt-4o-mini',
      output: [{ type: 'message', role: 'assistant', id: 'msg_test', content: [{ type: 'output_text', text: 'Containers talk over bridges.', annotations: [] }] }],
      usage: { input_tokens: 120, output_tokens: 5 },
    },
  }));
  try {
    const { stdout, stderr } = await example(['--model', dir], { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseUrl });
    expect(stderr).toBe('');
    expect(stdout).toContain('Answer (gpt-4o-mini):\nContainers talk over bridges.');
    expect(openai.requests).toHaveLength(1);
    const request = openai.requests[0]!;
    expect(request.url).toBe('/v1/responses');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    const body = request.body as { model: string; input: unknown };
    expect(body.model).toBe('gpt-4o-mini');
    // The prompt holds exactly the passages the example printed.
    const printed = stdout.split('\n').filter((line) => /^\d\. /.test(line)).map((line) => line.replace(/^\d\. /, ''));
    const prompt = JSON.stringify(body.input);
    for (const title of printed) expect(prompt).toContain(JSON.stringify(title).slice(1, -1));
    expect(prompt.match(/\[\d\] /g)).toHaveLength(3);
  } finally {
    await openai.close();
  }
});
