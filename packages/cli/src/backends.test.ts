// The real backend factory, through the whole command: API backends against servers on 127.0.0.1,
// the local backend against a generated model.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { createReranker } from './backends.js';
import type { CliIO } from './eval-command.js';
import { loadCandidates, loadQrels } from './load-inputs.js';
import { runCli } from './main.js';
import { fixture } from './test-support.js';

const deps = { createReranker, version: '0.0.0', defaultModel: 'unused' };
const evalArgs = ['eval', '--candidates', fixture('candidates.json'), '--qrels', fixture('qrels.txt'), '--json'];

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** grade / 3 of each fixture text: a server that ranks ideally. */
let gradeOfText: Map<string, number>;
const requests: Array<{ url: string; body: Record<string, unknown>; authorization?: string | undefined }> = [];
let server: Server;
let baseUrl: string;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text) as Record<string, unknown>;
}

beforeAll(async () => {
  const qrels = await loadQrels(fixture('qrels.txt'));
  gradeOfText = new Map();
  for (const q of await loadCandidates({ candidates: fixture('candidates.json'), needTexts: true })) {
    for (const c of q.candidates) gradeOfText.set(c.text, qrels.get(q.qid)?.get(c.docid) ?? 0);
  }
  server = createServer(async (req, res) => {
    const body = await readJson(req);
    requests.push({ url: req.url ?? '', body, authorization: req.headers.authorization });
    const score = (text: string) => (gradeOfText.get(text) ?? 0) / 3;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/rerank') {
      // TEI: a bare [{index, score}] array.
      res.end(JSON.stringify((body.texts as string[]).map((t, index) => ({ index, score: score(t) }))));
    } else if (req.url === '/infinity/rerank') {
      // Infinity: the Jina shape at /rerank.
      const results = (body.documents as string[]).map((t, index) => ({ index, relevance_score: score(t) }));
      res.end(JSON.stringify({ object: 'rerank', model: body.model, results }));
    } else if (req.url === '/hf') {
      // Hugging Face text-ranking: {inputs: {query, texts}} in, a bare [{index, score}] array out.
      const { texts } = body.inputs as { texts: string[] };
      res.end(JSON.stringify(texts.map((t, index) => ({ index, score: score(t) }))));
    } else if (req.url === '/v1/rerank') {
      // Jina: {results: [{index, relevance_score}]}.
      const results = (body.documents as string[]).map((t, index) => ({ index, relevance_score: score(t) }));
      res.end(JSON.stringify({ model: body.model, results }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
});

describe('createReranker through crossrank eval', () => {
  test('--backend tei reranks through the server at --base-url', async () => {
    const cap = capture();
    expect(await runCli([...evalArgs, '--backend', 'tei', '--base-url', baseUrl], cap.io, deps)).toBe(0);
    const output = JSON.parse(cap.stdout());
    expect(output.reranker).toBe(`TEI at ${baseUrl}`);
    expect(output.after['nDCG@10']).toBeCloseTo(1, 12);
    expect(requests.map((r) => [r.url, r.body.query])).toEqual([
      ['/rerank', 'what color is the sky'],
      ['/rerank', 'how tall is mount everest'],
    ]);
  });

  test('--backend jina sends --api-model to a Jina-compatible server', async () => {
    const cap = capture();
    const code = await runCli([...evalArgs, '--backend', 'jina', '--base-url', baseUrl, '--api-model', 'my-reranker', '--depth', '3'], cap.io, deps);
    expect({ code, stderr: cap.stderr() }).toEqual({ code: 0, stderr: '' });
    const output = JSON.parse(cap.stdout());
    expect(output.reranker).toBe(`Jina my-reranker at ${baseUrl}`);
    expect(requests.map((r) => [r.url, r.body.model, (r.body.documents as string[]).length])).toEqual([
      ['/v1/rerank', 'my-reranker', 3],
      ['/v1/rerank', 'my-reranker', 3],
    ]);
  });

  test('--backend llama-cpp and huggingface rerank through their servers', async () => {
    const llama = capture();
    expect(await runCli([...evalArgs, '--backend', 'llama-cpp', '--base-url', baseUrl], llama.io, deps)).toBe(0);
    const llamaOutput = JSON.parse(llama.stdout());
    expect(llamaOutput.reranker).toBe(`llama.cpp at ${baseUrl}`);
    // Raw scores go through the sigmoid, which keeps their order: still the ideal ranking.
    expect(llamaOutput.after['nDCG@10']).toBeCloseTo(1, 12);
    expect(requests.map((r) => r.url)).toEqual(['/v1/rerank', '/v1/rerank']);

    requests.length = 0;
    const hf = capture();
    expect(await runCli([...evalArgs, '--backend', 'huggingface', '--base-url', `${baseUrl}/hf`], hf.io, deps)).toBe(0);
    expect(JSON.parse(hf.stdout()).reranker).toBe(`Hugging Face at ${baseUrl}/hf`);
    expect(JSON.parse(hf.stdout()).after['nDCG@10']).toBeCloseTo(1, 12);
    expect(requests.map((r) => [r.url, (r.body.inputs as { query: string }).query])).toEqual([
      ['/hf', 'what color is the sky'],
      ['/hf', 'how tall is mount everest'],
    ]);
  });

  test('--backend vllm and infinity use the Jina shape at their own paths', async () => {
    const vllm = capture();
    expect(await runCli([...evalArgs, '--backend', 'vllm', '--base-url', baseUrl, '--api-model', 'BAAI/bge-reranker-v2-m3'], vllm.io, deps)).toBe(0);
    expect(JSON.parse(vllm.stdout()).reranker).toBe(`Jina BAAI/bge-reranker-v2-m3 at ${baseUrl}`);
    const infinity = capture();
    expect(await runCli([...evalArgs, '--backend', 'infinity', '--base-url', `${baseUrl}/infinity`], infinity.io, deps)).toBe(0);
    expect(JSON.parse(infinity.stdout()).after['nDCG@10']).toBeCloseTo(1, 12);
    expect(requests.map((r) => r.url)).toEqual(['/v1/rerank', '/v1/rerank', '/infinity/rerank', '/infinity/rerank']);
  });

  test('a hosted backend without its API key names the variable to set and --api-key-env (exit 2, no request)', async () => {
    const saved = { COHERE_API_KEY: process.env.COHERE_API_KEY, CO_API_KEY: process.env.CO_API_KEY };
    delete process.env.COHERE_API_KEY;
    delete process.env.CO_API_KEY;
    try {
      const cap = capture();
      expect(await runCli([...evalArgs, '--backend', 'cohere'], cap.io, deps)).toBe(2);
      expect(cap.stderr()).toMatch(/^crossrank: --backend cohere needs a Cohere API key: set COHERE_API_KEY or CO_API_KEY, or name the variable that holds it with --api-key-env <NAME>\./);
      // The library's advice (a constructor option) means nothing on the command line.
      expect(cap.stderr()).not.toMatch(/new CohereReranker/);
      expect(requests).toEqual([]);
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
    }
  });

  test('--api-key-env reads the key from the variable it names; an unset one is a usage error', async () => {
    process.env.CROSSRANK_TEST_JINA_KEY = 'k-from-env';
    try {
      const cap = capture();
      expect(await runCli([...evalArgs, '--backend', 'jina', '--base-url', baseUrl, '--api-key-env', 'CROSSRANK_TEST_JINA_KEY', '--depth', '2'], cap.io, deps)).toBe(0);
      expect(requests.map((r) => r.authorization)).toEqual(['Bearer k-from-env', 'Bearer k-from-env']);
    } finally {
      delete process.env.CROSSRANK_TEST_JINA_KEY;
    }
    const unset = capture();
    expect(await runCli([...evalArgs, '--backend', 'jina', '--api-key-env', 'CROSSRANK_TEST_JINA_KEY'], unset.io, deps)).toBe(2);
    expect(unset.stderr()).toMatch(/^crossrank: --api-key-env CROSSRANK_TEST_JINA_KEY: the environment variable CROSSRANK_TEST_JINA_KEY is not set/);
  });

  test('an option the backend rejects is a usage error (exit 2)', async () => {
    const cap = capture();
    const url = baseUrl.replace('http://', 'http://user:secret@');
    expect(await runCli([...evalArgs, '--backend', 'jina', '--base-url', url], cap.io, deps)).toBe(2);
    expect(cap.stderr()).toMatch(/^crossrank: JinaReranker: options\.baseUrl must not carry credentials/);
  });

  test('--backend local evaluates a causal-LM reranker (a generated Qwen3-style model) like any cross-encoder', async () => {
    const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('cli-eval-qwen3'), architecture: 'qwen3' });
    const cap = capture();
    expect(await runCli([...evalArgs, '--model', dir, '--max-length', '128', '--threads', '1'], cap.io, deps)).toBe(0);
    const report = JSON.parse(cap.stdout()) as { reranker: string; queries: number };
    expect(report.reranker).toBe(`local ${dir} (fp32)`);
    expect(report.queries).toBeGreaterThan(0);
  });

  test('--backend local loads --model with the local options, and names a missing folder', async () => {
    const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('cli-eval-tiny'), quantized: true });
    const cap = capture();
    expect(await runCli([...evalArgs, '--model', dir, '--max-length', '64', '--batch-size', '4', '--threads', '1'], cap.io, deps)).toBe(0);
    expect(JSON.parse(cap.stdout()).reranker).toBe(`local ${dir} (fp32)`);

    const tooLong = capture();
    expect(await runCli([...evalArgs, '--model', dir, '--max-length', '100000'], tooLong.io, deps)).toBe(2);
    expect(tooLong.stderr()).toMatch(/^crossrank: options\.maxLength 100000 exceeds this model's limit of 512 tokens/);

    const missing = capture();
    expect(await runCli([...evalArgs, '--model', './no-such-model'], missing.io, deps)).toBe(1);
    expect(missing.stderr()).toMatch(/^crossrank: No model folder at .*no-such-model/);
  });

  test('--backend local draws a download bar on a terminal while a hub model downloads, then erases it', async () => {
    const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('cli-eval-tiny'), quantized: true });
    // A minimal Hugging Face hub on 127.0.0.1 serving that folder as org/tiny at one commit.
    const hub = createServer((req, res) => {
      const file = /^\/org\/tiny\/resolve\/[^/]+\/(.+)$/.exec(req.url ?? '')?.[1];
      const full = file === undefined ? undefined : path.join(dir, ...file.split('/'));
      if (full === undefined || !existsSync(full)) {
        res.writeHead(404, { 'X-Error-Code': 'EntryNotFound', 'X-Repo-Commit': 'c'.repeat(40) });
        return void res.end();
      }
      const body = readFileSync(full);
      const etag = createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
      res.writeHead(200, { 'X-Repo-Commit': 'c'.repeat(40), ETag: `"${etag}"`, 'Content-Length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const cache = mkdtempSync(path.join(os.tmpdir(), 'crossrank-cli-hub-'));
    const saved = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
    try {
      const cap = capture();
      cap.io.stderr.isTTY = true;
      cap.io.stderr.columns = 80;
      const args = ['eval', '--candidates', fixture('candidates.json'), '--qrels', fixture('qrels.txt'), '--model', 'org/tiny', '--cache-dir', cache, '--threads', '1'];
      expect({ code: await runCli(args, cap.io, deps), stderr: cap.stderr().split('\r').at(-1) }).toEqual({ code: 0, stderr: '' });
      const size = (readFileSync(path.join(dir, 'onnx', 'model.onnx')).length / 1e6).toFixed(1);
      expect(cap.stderr()).toContain(`\ronnx/model.onnx [${'='.repeat(40)}] ${size}/${size} MB`);
      // The bar is erased before the report: the last thing on stderr is a blanked line.
      expect(cap.stderr()).toMatch(/\r {79}\r$/);
      expect(existsSync(path.join(cache, 'models--org--tiny', 'refs', 'main'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = saved;
      await new Promise((resolve) => hub.close(resolve));
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
