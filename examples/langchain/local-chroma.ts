import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts a throwaway Chroma server so the example is one command. In an app you run Chroma yourself
 * (`npx chroma run --path ./chroma-data`) and pass its URL with --chroma-url or CHROMA_URL.
 *
 * The server comes from `chromadb-js-bindings-linux-x64-gnu@0.1.3` (Chroma 1.0.0): chromadb 3.x's own
 * bindings need glibc 2.38+, which older Linux distributions (Debian 12) lack; the 3.x client works with it.
 */
const BINDINGS = 'chromadb-js-bindings-linux-x64-gnu';
// The bindings' `cli` serves on the calling thread and never returns: it needs a process of its own.
const SERVE = `require(process.argv[1]).cli(['chroma', 'run', '--path', process.argv[2], '--host', '127.0.0.1', '--port', process.argv[3]]);`;

export interface LocalChroma {
  url: string;
  stop(): Promise<void>;
}

export async function startLocalChroma(timeoutMs = 30_000): Promise<LocalChroma> {
  let bindings: string;
  try {
    bindings = createRequire(import.meta.url).resolve(BINDINGS);
  } catch {
    throw new Error(`No local Chroma server is available on this platform (${BINDINGS} is not installed). Start Chroma yourself and pass --chroma-url http://host:port.`);
  }
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'crossrank-example-chroma-'));
  const child = spawn(process.execPath, ['-e', SERVE, bindings, dataDir, String(port)], {
    stdio: 'ignore',
    env: { ...process.env, ANONYMIZED_TELEMETRY: 'False' },
  });
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', onExit);
    await killAndWait(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHeartbeat(url, child, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitForHeartbeat(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The local Chroma server exited (${child.exitCode ?? child.signalCode}) before it started.`);
    const ok = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The local Chroma server at ${url} did not start within ${timeoutMs} ms.`);
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port was assigned.'))));
    });
  });
}
