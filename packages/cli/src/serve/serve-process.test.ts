// End-to-end: the BUILT `crossrank serve` (dist/cli.js, as `pnpm test` builds it first) in a child
// process, on a generated model: the real CLI serves, then drains on SIGTERM / SIGINT and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { JinaReranker } from '@crossrank/api';
import { sigmoid } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const KEY = 'serve-process-key-7f3a';

interface Served {
  child: ChildProcess;
  lines: Array<Record<string, any>>;
  url: string;
  exit: Promise<number | null>;
}

async function serve(modelDir: string, ...extra: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--model', modelDir, '--port', '0', '--api-key-env', 'SERVE_TEST_KEY', ...extra], {
    env: { ...process.env, SERVE_TEST_KEY: KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines: Array<Record<string, any>> = [];
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, any>;
      lines.push(parsed);
      if (parsed.event === 'listening') resolve(parsed.url as string);
    });
    void exit.then((code) => reject(new Error(`crossrank serve exited with ${code} before listening: ${stderr}`)));
  });
  const url = await listening;
  await until(async () => (await fetch(`${url}/ready`)).status === 200, 60_000);
  return { child, lines, url, exit };
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve().then(condition).catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let modelDir: string;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it first (pnpm --filter @crossrank/cli build).`);
  ({ dir: modelDir } = await createTestCrossEncoder({ dir: defaultTestModelDir('cli-serve-tiny'), quantized: true }));
});

test('serves the model with auth, drains a request under way on SIGTERM, and exits 0', async () => {
  const served = await serve(modelDir);
  try {
    const documents = ['tides follow the moon', 'a banana bread recipe', 'spring and neap tides'];
    const local = await CrossEncoder.load(modelDir);
    const expected = (await local.rerank('how do tides work', documents)).map(({ index, score }) => ({ index, score: sigmoid(score) }));
    await local.dispose();
    await expect(new JinaReranker({ baseUrl: served.url, apiKey: KEY }).rerank('how do tides work', documents)).resolves.toEqual(expected);
    expect((await fetch(`${served.url}/v1/rerank`, { method: 'POST', body: '{}' })).status).toBe(401);

    // A request under way when the signal arrives: headers and half the body sent, the rest after SIGTERM.
    const many = Array.from({ length: 200 }, (_, i) => `passage ${i} about tides, currents, the moon and the sea floor`);
    const body = JSON.stringify({ query: 'tides', texts: many });
    const { port } = new URL(served.url);
    let underWay!: http.ClientRequest;
    const response = new Promise<{ status: number; json: any }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/rerank', method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write(body.slice(0, body.length / 2));
      underWay = req;
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server has the headers: the request is under way
    served.child.kill('SIGTERM');
    await until(() => served.lines.some((line) => line.event === 'draining'));
    // Draining: no new connections, while the one under way stays open.
    await expect(fetch(`${served.url}/health`)).rejects.toThrow();
    underWay.end(body.slice(body.length / 2));
    const { status, json } = await response;
    expect(status).toBe(200);
    expect(json).toHaveLength(200);
    expect(await served.exit).toBe(0);

    const events = served.lines.filter((line) => line.event).map((line) => line.event);
    expect(events).toEqual(['listening', 'ready', 'draining', 'stopped']);
    expect(served.lines.find((line) => line.event === 'draining')).toMatchObject({ signal: 'SIGTERM' });
    const requests = served.lines.filter((line) => line.route === 'tei' || line.route === 'jina');
    expect(requests.map((line) => [line.route, line.status])).toEqual([['jina', 200], ['jina', 401], ['tei', 200]]);
    // One JSON line per request, never the texts or the key.
    const log = JSON.stringify(served.lines);
    expect(log).not.toContain('tides follow');
    expect(log).not.toContain('passage 1');
    expect(served.lines.find((line) => line.route === 'tei')).toMatchObject({ documents: 200 });
    expect(log).not.toContain(KEY);
  } finally {
    served.child.kill('SIGKILL');
  }
});

test('SIGINT stops it too (exit 0); a missing key variable is a usage error (exit 2)', async () => {
  const served = await serve(modelDir, '--max-queue', '8');
  served.child.kill('SIGINT');
  expect(await served.exit).toBe(0);
  expect(served.lines.at(-1)).toMatchObject({ event: 'stopped' });

  const child = spawn(process.execPath, [CLI, 'serve', '--model', modelDir, '--api-key-env', 'SERVE_TEST_UNSET_VARIABLE'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(2);
  expect(stderr).toMatch(/--api-key-env SERVE_TEST_UNSET_VARIABLE: that environment variable is not set/);
});
