import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Chroma server (1.0.0) that runs on this glibc: chromadb 3.x's default bindings need glibc 2.38+,
 * so the test package pins this older bindings build, whose server the 3.x client talks to fine.
 */
const BINDINGS = 'chromadb-js-bindings-linux-x64-gnu';

// The bindings' `cli` runs the server on the calling thread and never returns, so it gets a process of its own.
const SERVE = `require(process.argv[1]).cli(['chroma', 'run', '--path', process.argv[2], '--host', '127.0.0.1', '--port', process.argv[3]]);`;

export interface ChromaServer {
  url: string;
  pid: number;
  /** Kills the server by its PID and deletes its data folder; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a throwaway Chroma server on a free 127.0.0.1 port with a temp data folder; resolves once it answers its heartbeat. */
export async function startChromaServer(timeoutMs = 30_000): Promise<ChromaServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'crossrank-chroma-'));
  const child = spawn(process.execPath, ['-e', SERVE, require.resolve(BINDINGS), dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ANONYMIZED_TELEMETRY: 'False' },
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  // If the test run dies before afterAll, do not leave the server behind.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    await killAndWait(child);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHeartbeat(url, child, timeoutMs, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid!, stop };
}

async function waitForHeartbeat(url: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The Chroma server exited (${child.exitCode ?? child.signalCode}) before answering. Its output:\n${log()}`);
    }
    try {
      const response = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The Chroma server at ${url} did not answer its heartbeat within ${timeoutMs} ms. Its output:\n${log()}`);
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
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
