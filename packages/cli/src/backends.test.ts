// The real backend factory, through the whole command: API backends against servers on 127.0.0.1,
// the local backend against a generated model.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
const requests: Array<{ url: string; body: Record<string, unknown> }> = [];
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
    requests.push({ url: req.url ?? '', body });
    const score = (text: string) => (gradeOfText.get(text) ?? 0) / 3;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/rerank') {
      // TEI: a bare [{index, score}] array.
      res.end(JSON.stringify((body.texts as string[]).map((t, index) => ({ index, score: score(t) }))));
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

  test('a hosted backend without its API key fails with the key to set (exit 1, no request)', async () => {
    const saved = { COHERE_API_KEY: process.env.COHERE_API_KEY, CO_API_KEY: process.env.CO_API_KEY };
    delete process.env.COHERE_API_KEY;
    delete process.env.CO_API_KEY;
    try {
      const cap = capture();
      expect(await runCli([...evalArgs, '--backend', 'cohere'], cap.io, deps)).toBe(1);
      expect(cap.stderr()).toMatch(/^crossrank: CohereReranker needs a Cohere API key: .*COHERE_API_KEY/);
      expect(requests).toEqual([]);
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
    }
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
});
