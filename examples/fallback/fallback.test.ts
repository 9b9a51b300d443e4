import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from '@crossrank/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_QUERY, PASSAGES } from '../api/passages';
import { startRerankServer, type RerankServer, type WireResult } from '../api/test-rerank-server';

// Runs the example as a user would (tsx, ESM, the built @crossrank/core) with a generated local model,
// against a local Cohere-protocol server that fails, one that works, and no Cohere at all.
const EXAMPLES = join(__dirname, '..');
const KEY_VARS = ['COHERE_API_KEY', 'CO_API_KEY', 'RERANK_API_KEY'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runExample(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of KEY_VARS) delete base[name];
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join('fallback', 'fallback.ts'), ...args], { cwd: EXAMPLES, env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const printedRanking = (stdout: string) => stdout.split('\n').filter((line) => /^\d+\. \[/.test(line));
const lines = (results: readonly WireResult[]) => results.map(({ index, score }, rank) => `${rank + 1}. [${score.toFixed(4)}] #${index + 1} ${PASSAGES[index]}`);

let model: string;
/** What the local model itself ranks as the 3 best passages for the default query. */
let localTop3: string[];
let server: RerankServer | undefined;

beforeAll(async () => {
  ({ dir: model } = await createTestCrossEncoder({ dir: defaultTestModelDir('fallback-example'), ...TEST_MODEL_SHAPES.tiny, seed: 11 }));
  const encoder = await CrossEncoder.load(model, { localFilesOnly: true });
  try {
    localTop3 = lines(await encoder.rerank(DEFAULT_QUERY, PASSAGES, { topN: 3 }));
  } finally {
    await encoder.dispose();
  }
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('falls back to the local model when the Cohere server answers 503', async () => {
  server = await startRerankServer({ failWith: 503 });
  const { code, stdout, stderr } = await runExample(['--base-url', server.baseUrl, '--model', model], { RERANK_API_KEY: 'dummy-key' });
  expect(stderr).toBe('');
  expect(code).toBe(0);

  // Cohere was really asked (and retried once) before the fallback.
  expect(server.requests.length).toBeGreaterThanOrEqual(1);
  for (const request of server.requests) {
    expect(request.path).toBe('/v2/rerank');
    expect(request.body).toMatchObject({ query: DEFAULT_QUERY, documents: PASSAGES, top_n: 3 });
  }
  expect(stdout).toMatch(/^Cohere failed: Cohere rerank request failed with HTTP 503 .*model is overloaded/m);
  expect(stdout).toContain(`Falling back to the local cross-encoder ${model}.`);
  expect(stdout).toContain(`Served by: local cross-encoder ${model} (fallback)`);
  expect(printedRanking(stdout)).toEqual(localTop3);
  expect(stdout).toMatch(/generated test model \(random weights\)/);
});

it('says Cohere has no key and serves from the local model, without calling Cohere', async () => {
  const { code, stdout, stderr } = await runExample(['--model', model]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('Cohere skipped: COHERE_API_KEY / CO_API_KEY is not set.');
  expect(stdout).toContain(`Served by: local cross-encoder ${model} (fallback)`);
  expect(printedRanking(stdout)).toEqual(localTop3);
});

it('serves from Cohere when it answers, without loading the local model', async () => {
  server = await startRerankServer('cohere');
  const { code, stdout, stderr } = await runExample(['--base-url', server.baseUrl, '--model', model, '--top-n', '2']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(server.requests).toHaveLength(1);
  expect(stdout).toMatch(/^Served by: Cohere$/m);
  expect(printedRanking(stdout)).toEqual(lines(server.requests[0]!.answered));
  expect(printedRanking(stdout)).toHaveLength(2);
  expect(stdout).not.toContain('Loading the local cross-encoder');
});

it('exits 1 with each reranker\'s error when both fail', async () => {
  server = await startRerankServer({ failWith: 503 });
  const missing = join(EXAMPLES, 'fallback', 'no-such-model-folder');
  const { code, stderr } = await runExample(['--base-url', server.baseUrl, '--model', missing]);
  expect(code).toBe(1);
  expect(stderr).toMatch(/^Every reranker failed:\n {2}Cohere: Cohere rerank request failed with HTTP 503.*\n {2}local cross-encoder .*no-such-model-folder: \S/);
  expect(stderr).not.toMatch(/^\s+at .+[:(]\d+/m);
});
