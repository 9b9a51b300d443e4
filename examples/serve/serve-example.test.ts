// The deployment examples run the command they show: the Dockerfile's CMD and the Kubernetes args
// (with a generated model, loopback and a free port) start the BUILT `crossrank serve`, answer the
// probes the files configure, and drain within the grace period they give on SIGTERM.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

const CLI = join(__dirname, '..', '..', 'packages', 'cli', 'dist', 'cli.js');
const read = (name: string) => readFileSync(join(__dirname, name), 'utf8');

/** The `crossrank serve ...` arguments of the Dockerfile's CMD (shell form inside exec form). */
function dockerArgs(): string[] {
  const cmd = /^CMD \["sh", "-c", "exec crossrank (serve .*)"\]$/m.exec(read('Dockerfile'))?.[1];
  if (!cmd) throw new Error('Dockerfile CMD is not `exec crossrank serve ...`');
  return cmd.replace(/\\"/g, '"').split(' ').map((word) => word.replace(/^"(.*)"$/, '$1'));
}

function kubernetesArgs(): string[] {
  const line = /^ {10}args: (\[.*\])$/m.exec(read('kubernetes.yaml'))?.[1];
  if (!line) throw new Error('kubernetes.yaml has no container args');
  return (JSON.parse(line) as string[]).slice(1);
}

/** Runs the example's arguments with the model, host and port swapped for test ones. */
async function runExample(args: string[], modelDir: string) {
  const swapped = args.map((arg, i) => (args[i - 1] === '--model' ? modelDir : args[i - 1] === '--host' ? '127.0.0.1' : args[i - 1] === '--port' ? '0' : arg));
  const child = spawn(process.execPath, [CLI, ...swapped], { env: { ...process.env, CROSSRANK_API_KEY: 'example-key' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as { event?: string; url?: string };
      if (event.event === 'listening') resolve(event.url!);
    });
    void exit.then((code) => reject(new Error(`exited with ${code}`)));
  });
  return { child, exit, url, swapped };
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('not ready in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let modelDir: string;
beforeAll(async () => {
  ({ dir: modelDir } = await createTestCrossEncoder({ dir: defaultTestModelDir('examples-serve-tiny'), quantized: true }));
});

test.each([
  ['Dockerfile CMD', dockerArgs],
  ['Kubernetes args', kubernetesArgs],
])('%s: serves with the key, answers /health and /ready, and drains on SIGTERM', async (_name, argsOf) => {
  const args = argsOf();
  expect(args.slice(0, 1)).toEqual(['serve']);
  expect(args).toEqual(expect.arrayContaining(['--host', '0.0.0.0', '--port', '8080', '--api-key-env', 'CROSSRANK_API_KEY']));
  const { child, exit, url } = await runExample(args, modelDir);
  try {
    expect((await fetch(`${url}/health`)).status).toBe(200);
    await until(async () => (await fetch(`${url}/ready`)).status === 200);
    const unauthorized = await fetch(`${url}/v1/rerank`, { method: 'POST', body: JSON.stringify({ query: 'q', documents: ['a'] }) });
    expect(unauthorized.status).toBe(401);
    const ok = await fetch(`${url}/v1/rerank`, {
      method: 'POST',
      headers: { authorization: 'Bearer example-key', 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'q', documents: ['a', 'b'] }),
    });
    expect(ok.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
});

test('the probes, grace periods and body limit in the files match the server', () => {
  const kubernetes = read('kubernetes.yaml');
  expect(kubernetes).toMatch(/readinessProbe:\n\s+httpGet: \{ path: \/ready, port: 8080 \}/);
  expect(kubernetes).toMatch(/livenessProbe:\n\s+httpGet: \{ path: \/health, port: 8080 \}/);
  // The server drains for up to 30 s (createRerankServer's drainTimeoutMs default).
  expect(Number(/terminationGracePeriodSeconds: (\d+)/.exec(kubernetes)?.[1])).toBeGreaterThan(30);
  expect(Number(/stop_grace_period: (\d+)s/.exec(read('compose.yaml'))?.[1])).toBeGreaterThan(30);
  expect(read('compose.yaml')).toContain("fetch('http://127.0.0.1:8080/ready')");
  expect(read('Dockerfile')).toContain("fetch('http://127.0.0.1:8080/ready')");
  // nginx must accept what the server accepts: --max-body-bytes defaults to 2 MiB.
  expect(read('nginx.conf')).toMatch(/client_max_body_size 2m;/);
});
