import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { Document, MetadataMode, Settings, VectorStoreIndex } from 'llamaindex';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GENERATED_MODEL_NOTE } from '../demo/model';
import { CORPUS, DEFAULT_QUESTION } from './corpus';
import { LexicalEmbedding } from './lexical-embedding';

// Runs the example as a user would (tsx, ESM, built packages) with a generated model, and checks it
// uses the cross-encoder's 3 best of the 20 retrieved nodes: printed without OPENAI_API_KEY, sent
// to the LLM with one (an OpenAI-compatible server on 127.0.0.1 stands in for OpenAI).
const execFileAsync = promisify(execFile);
const EXAMPLES = join(__dirname, '..');
let model: string;
/** The CrossEncoder's own top 3, as the example prints them; and their texts. */
let expectedLines: string[];
let expectedTexts: string[];
/** Both runs start together in beforeAll: each is a separate process, so they overlap. */
let withoutKey: Promise<{ stdout: string }>;
let withKey: Promise<{ stdout: string }>;
/** What the stand-in OpenAI server was sent. */
const prompts: string[] = [];
const server: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const request = JSON.parse(body) as { model: string; messages: { content: string }[] };
    prompts.push(request.messages.map((m) => m.content).join('\n'));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id: 'chatcmpl-test', object: 'chat.completion', created: 0, model: request.model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Answer from the test server.' } }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }));
  });
});

function runExample(env: NodeJS.ProcessEnv, args = ['--model', model]) {
  const clean: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'INIT_CWD']) if (!(key in env)) delete clean[key];
  return execFileAsync(process.execPath, ['--import', 'tsx', join('llamaindex', 'rerank-query-engine.ts'), ...args], { cwd: EXAMPLES, env: clean });
}

const sourceLines = (stdout: string) => stdout.split('\n').filter((line) => /^\d+\. \[/.test(line)).map((line) => line.replace(/^\d+\. /, ''));

beforeAll(async () => {
  ({ dir: model } = await createTestCrossEncoder({ dir: defaultTestModelDir('llamaindex') }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  withoutKey = runExample({});
  withKey = runExample({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
  // Awaited in the tests; this only keeps a failure from surfacing as an unhandled rejection first.
  for (const run of [withoutKey, withKey]) run.catch(() => undefined);

  // The example's retrieval in-process, then the CrossEncoder's own ranking of the candidates.
  const index = await Settings.withEmbedModel(new LexicalEmbedding(), () =>
    VectorStoreIndex.fromDocuments(CORPUS.map(({ title, text }) => new Document({ text, metadata: { title } }))),
  );
  const candidates = await index.asRetriever({ similarityTopK: 20 }).retrieve(DEFAULT_QUESTION);
  expect(candidates).toHaveLength(20);
  const encoder = await CrossEncoder.load(model, { localFilesOnly: true });
  const best = await encoder.rerank(DEFAULT_QUESTION, candidates.map((c) => c.node.getContent(MetadataMode.EMBED)), { topN: 3 });
  await encoder.dispose();
  const nodes = best.map(({ index }) => candidates[index]!.node);
  expectedTexts = nodes.map((node) => node.getContent(MetadataMode.NONE));
  expectedLines = best.map(({ score }, i) => `[${score.toFixed(4)}] ${String(nodes[i]!.metadata['title'])}: ${expectedTexts[i]}`);
});

afterAll(async () => {
  await Promise.allSettled([withoutKey, withKey]);
  server.close();
});

it('prints the 3 reranked source nodes and skips generation without OPENAI_API_KEY', async () => {
  const { stdout } = await withoutKey;
  expect(sourceLines(stdout)).toEqual(expectedLines);
  expect(stdout).toContain('Top 3 of 20 retrieved, reranked:');
  expect(stdout).toContain('Generation skipped: OPENAI_API_KEY is not set.');
  expect(stdout).toContain(GENERATED_MODEL_NOTE);
});

it('offline without --model, explains what to do instead of printing a raw ModelNotFoundError', async () => {
  const emptyCache = mkdtempSync(join(tmpdir(), 'crossrank-llamaindex-empty-cache-'));
  try {
    const failure = await runExample({ CROSSRANK_OFFLINE: '1', CROSSRANK_CACHE_DIR: emptyCache }, []).then(
      () => undefined,
      (error: { code?: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const stderr = failure!.stderr;
    expect(stderr).toMatch(/^Could not load the cross-encoder "Xenova\/ms-marco-MiniLM-L-6-v2" \(fp32\): it is not in the model cache, and offline mode \(CROSSRANK_OFFLINE\)/);
    expect(stderr).toContain('pnpm llamaindex --model <folder>');
    expect(stderr).toContain('pnpm --filter @crossrank/examples demo:test-model');
    expect(stderr).toContain(join(emptyCache, 'hub'));
    expect(stderr).not.toMatch(/^ModelNotFoundError:/m);
    expect(stderr).not.toMatch(/^\s+at .+[:(]\d+/m);
    expect(failure!.stdout).not.toContain(GENERATED_MODEL_NOTE);
  } finally {
    rmSync(emptyCache, { recursive: true, force: true });
  }
});

it('with OPENAI_API_KEY, answers with OpenAI from the 3 reranked nodes', async () => {
  const { stdout } = await withKey;
  expect(stdout).toContain('Answer: Answer from the test server.');
  expect(stdout).toContain(GENERATED_MODEL_NOTE);
  expect(stdout).not.toContain('Generation skipped');
  expect(sourceLines(stdout)).toEqual(expectedLines);
  expect(prompts).toHaveLength(1);
  const positions = expectedTexts.map((text) => prompts[0]!.indexOf(text));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});
