// Runs `pnpm demo`'s entry point as a child process, the way users run it, on a generated model.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { DEFAULT_QUERY } from './args';
import { Bm25Index } from './bm25';
import { loadCorpus, passageText } from './corpus';
import { movement } from './report';
import { chatReply, startFakeOpenAI } from './test-openai-server';

const EXAMPLES_DIR = path.join(__dirname, '..');
const MAIN = path.join(__dirname, 'main.ts');
const TSX_CLI = require.resolve('tsx/cli', { paths: [EXAMPLES_DIR] });
const corpus = loadCorpus(path.join(__dirname, 'data', 'passages.jsonl'));

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const base = { ...process.env };
  for (const key of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CROSSRANK_OFFLINE', 'CROSSRANK_DEBUG', 'INIT_CWD']) delete base[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, MAIN, ...args], { cwd: EXAMPLES_DIR, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The rows of the table that starts with the line matching `title`, up to the next blank line. */
function tableRows(stdout: string, title: RegExp): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => title.test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 2, end === -1 ? undefined : end);
}

const STACK_FRAME = /^\s+at .+[:(]\d+/m;

let modelDir: string;

beforeAll(async () => {
  ({ dir: modelDir } = await createTestCrossEncoder({ dir: defaultTestModelDir('demo-tiny'), quantized: true }));
});

describe('pnpm demo on a generated model folder', () => {
  it('prints the 20 BM25 candidates, the 3 reranked with movement, the test-model notice and the latency', async () => {
    const { code, stdout, stderr } = await runDemo(['--model', modelDir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);

    // The 20 candidates are the real BM25 top 20 of the bundled corpus, in order.
    const expected = new Bm25Index(corpus.map(passageText)).search(DEFAULT_QUERY, 20);
    const candidates = tableRows(stdout, /^BM25: top 20 of \d+ passages for "How does Docker networking work\?"$/).map((row) => {
      const m = /^\s+(\d+)\s+(\S+)\s+(\d+\.\d\d)\s+(?:→ (\d+))?\s+\S/.exec(row);
      expect(m).not.toBeNull();
      return { rank: Number(m![1]), id: m![2]!, bm25: Number(m![3]), now: m![4] ? Number(m![4]) : undefined };
    });
    expect(candidates.map((c) => c.id)).toEqual(expected.map((h) => corpus[h.index]!.id));
    candidates.forEach((c, i) => {
      expect(c.rank).toBe(i + 1);
      expect(c.bm25).toBeCloseTo(expected[i]!.score, 2);
    });

    // The 3 reranked rows: where each came from, how it moved, its score.
    const reranked = tableRows(stdout, /^Reranked: top 3 by model folder .+demo-tiny \(q8\)$/).map((row) => {
      const m = /^\s+(\d+)\s+(\d+)\s+(↑\d+|↓\d+|=)\s+(\d\.\d{4})\s+(\S+)\s+\S/.exec(row);
      expect(m).not.toBeNull();
      return { rank: Number(m![1]), was: Number(m![2]), moved: m![3], score: Number(m![4]), id: m![5]! };
    });
    expect(reranked.map((r) => r.rank)).toEqual([1, 2, 3]);
    for (const r of reranked) {
      expect(candidates[r.was - 1]!.id).toBe(r.id);
      expect(candidates[r.was - 1]!.now).toBe(r.rank);
      expect(r.moved).toBe(movement(r.was, r.rank));
    }
    expect(candidates.filter((c) => c.now !== undefined)).toHaveLength(3);

    // Same ids and scores as reranking the same 20 passages in-process with the same model and dtype.
    const ce = await CrossEncoder.load(modelDir, { dtype: 'q8' });
    try {
      const direct = await ce.rerank(DEFAULT_QUERY, expected.map((h) => passageText(corpus[h.index]!)), { topN: 3 });
      expect(reranked.map((r) => r.was)).toEqual(direct.map((d) => d.index + 1));
      reranked.forEach((r, i) => expect(r.score).toBeCloseTo(direct[i]!.score, 4));
    } finally {
      await ce.dispose();
    }

    expect(stdout).toMatch(/generated test model \(random weights\), so its scores mean nothing/);
    expect(stdout).toMatch(/^\s+retrieval\s+\d+(\.\d)? ms\s+BM25 over \d+ passages/m);
    expect(stdout).toMatch(/^\s+rerank\s+\d+(\.\d)? ms\s+20 pairs through the cross-encoder \(model load \d+(\.\d)? ms, not counted\)/m);
    expect(stdout).toMatch(/^\s+generation\s+skipped\s+set OPENAI_API_KEY to generate an answer$/m);
  });

  it('takes --query, --top-k and --top-n, and answers from the reranked passages when OPENAI_API_KEY is set', async () => {
    const server = await startFakeOpenAI(() => ({ status: 200, body: chatReply('Services get a stable virtual IP [k8s-net-04].') }));
    try {
      const query = 'How do Kubernetes Services route traffic to pods?';
      const { code, stdout, stderr } = await runDemo(['--model', modelDir, '--query', query, '--top-k', '8', '--top-n', '2'], {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: server.baseUrl,
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(tableRows(stdout, /^BM25: top 8 of \d+ passages for "How do Kubernetes Services/)).toHaveLength(8);
      const kept = tableRows(stdout, /^Reranked: top 2 by /).map((row) => /\s(\S+-\d\d)\s/.exec(row)![1]!);
      expect(kept).toHaveLength(2);
      expect(stdout).toMatch(/Answer \(gpt-4o-mini, from the 2 reranked passages\):\n {2}Services get a stable virtual IP \[k8s-net-04\]\./);
      expect(stdout).toMatch(/^\s+generation\s+\d+(\.\d)? ms\s+gpt-4o-mini/m);

      // The request carried exactly the two reranked passages, in reranked order, and the question.
      expect(server.requests).toHaveLength(1);
      const body = server.requests[0]!.body as { model: string; messages: Array<{ content: string }> };
      expect(body.model).toBe('gpt-4o-mini');
      const user = body.messages[1]!.content;
      expect([...user.matchAll(/^\[(\S+)\]/gm)].map((m) => m[1])).toEqual(kept);
      expect(user.endsWith(`Question: ${query}`)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('reports a failed answer step in one line and exits 1, after printing the rankings', async () => {
    const server = await startFakeOpenAI(() => ({ status: 401, body: { error: { message: 'Incorrect API key provided.' } } }));
    try {
      const { code, stdout, stderr } = await runDemo(['--model', modelDir], { OPENAI_API_KEY: 'sk-wrong', OPENAI_BASE_URL: server.baseUrl });
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Answer step failed: .*answered 401 Unauthorized: Incorrect API key provided\. Check OPENAI_API_KEY\.$/)]);
      expect(stdout).toMatch(/^Reranked: top 3/m);
      expect(stdout).toMatch(/^\s+generation\s+\d+(\.\d)? ms\s+failed/m);
    } finally {
      await server.close();
    }
  });
});

describe('pnpm demo failures', () => {
  it('explains a hub model that is not cached while offline, and exits 1 with no stack trace', async () => {
    const emptyCache = mkdtempSync(path.join(os.tmpdir(), 'crossrank-demo-empty-cache-'));
    try {
      const { code, stdout, stderr } = await runDemo(['--model', 'Xenova/ms-marco-MiniLM-L-6-v2', '--cache-dir', emptyCache], { CROSSRANK_OFFLINE: '1' });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^Could not load the cross-encoder "Xenova\/ms-marco-MiniLM-L-6-v2" \(q8\): it is not in the model cache, and offline mode/);
      expect(stderr).toMatch(/What to do:\n {2}- Run the demo once with network access/);
      expect(stderr).toMatch(/pnpm demo --model <folder>/);
      expect(stderr).toMatch(/pnpm --filter @crossrank\/examples demo:test-model/);
      expect(stderr).toContain(emptyCache);
      expect(stderr).not.toMatch(STACK_FRAME);
    } finally {
      rmSync(emptyCache, { recursive: true, force: true });
    }
  });

  it('names a model folder that does not exist, and rejects bad flags with exit code 2', async () => {
    const missing = path.join(os.tmpdir(), 'crossrank-demo-no-such-model');
    const [folder, flag] = await Promise.all([runDemo(['--model', missing]), runDemo(['--top-k', 'many'])]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(new RegExp(`^Could not load the model folder ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.`));
    expect(folder.stderr).toMatch(/Details: No model folder at /);
    expect(folder.stderr).not.toMatch(STACK_FRAME);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('--top-k must be a positive whole number, got "many".\n');
  });
});
