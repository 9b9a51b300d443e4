// The event-loop and server scenarios of `pnpm bench`: each reranker runs in its own child process
// (serve.ts); the closed-loop HTTP clients run here, in the bench process.
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import type { ServeMode, ServeSpec } from './serve.js';
import { percentile } from './stats.js';
import type { CandidateSet } from './workload.js';

export interface EventLoopRow {
  mode: ServeMode;
  dtype: 'fp32' | 'q8';
  reranks: number;
  maxGapMs: number;
  getP50Ms: number;
  getP99Ms: number;
  /** `info.workers` and `info.threads` the mode's options resolved to (CrossEncoder modes). */
  workers?: number;
  threads?: number;
}

export interface ServerRow {
  mode: ServeMode;
  dtype: 'fp32' | 'q8';
  concurrency: number;
  requestsPerSecond: number;
  rerankP50Ms: number;
  rerankP99Ms: number;
  healthP99Ms: number;
  workers?: number;
  threads?: number;
}

/** Server runs: fp32 for all three modes, q8 for the two CrossEncoder ones (issue #21 asks both dtypes). */
const SERVER_RUNS: ReadonlyArray<readonly [ServeMode, 'fp32' | 'q8']> = [
  ['workers', 'fp32'],
  ['in-thread', 'fp32'],
  ['baseline', 'fp32'],
  ['workers', 'q8'],
  ['in-thread', 'q8'],
];

/** What the child reported of its engine (absent for the baseline). */
function engineOf(row: Record<string, number>): { workers?: number; threads?: number } {
  return row['workers'] === undefined ? {} : { workers: row['workers'], threads: row['threads']! };
}

export interface Responsiveness {
  eventLoop: EventLoopRow[];
  server: ServerRow[];
  /** Seconds each event-loop run and each server concurrency level ran. */
  seconds: number;
}

function start(servePath: string, spec: ServeSpec): { child: ChildProcess; first: Promise<Record<string, number>> } {
  const child = fork(servePath, [JSON.stringify(spec)], { execArgv: process.execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
  const first = new Promise<Record<string, number>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Record<string, number>));
    child.once('exit', (code) => reject(new Error(`serve ${spec.mode} ${spec.dtype} exited with ${code}: ${stderr}`)));
  });
  return { child, first };
}

function get(port: number, path: string, agent: http.Agent): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume().on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
      })
      .on('error', reject),
  );
}

/** Closed-loop clients at `concurrency` for `ms`, plus one /health probe every 50 ms. */
async function drive(port: number, concurrency: number, ms: number): Promise<Omit<ServerRow, 'mode' | 'dtype' | 'concurrency' | 'workers' | 'threads'>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency + 1 });
  const end = performance.now() + ms;
  const started = performance.now();
  const reranks: number[] = [];
  const health: number[] = [];
  const client = async () => {
    while (performance.now() < end) reranks.push(await get(port, '/rerank', agent));
  };
  const prober = async () => {
    while (performance.now() < end) {
      health.push(await get(port, '/health', agent));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all([...Array.from({ length: concurrency }, client), prober()]);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requestsPerSecond: reranks.length / seconds, rerankP50Ms: percentile(reranks, 50), rerankP99Ms: percentile(reranks, 99), healthP99Ms: percentile(health, 99) };
}

export async function runResponsiveness(
  servePath: string,
  modelDir: string,
  set: CandidateSet,
  seconds: number,
  concurrencies: readonly number[],
  log: (line: string) => void,
): Promise<Responsiveness> {
  const eventLoop: EventLoopRow[] = [];
  for (const dtype of ['fp32', 'q8'] as const) {
    for (const mode of ['workers', 'in-thread'] as const) {
      log(`event loop: ${mode} ${dtype}, ${seconds} s of reranks`);
      const { first } = start(servePath, { modelDir, mode, dtype, set, loopMs: seconds * 1000 });
      const row = await first;
      eventLoop.push({ mode, dtype, reranks: row['reranks']!, maxGapMs: row['maxGapMs']!, getP50Ms: row['getP50Ms']!, getP99Ms: row['getP99Ms']!, ...engineOf(row) });
    }
  }
  const server: ServerRow[] = [];
  for (const [mode, dtype] of SERVER_RUNS) {
    const { child, first } = start(servePath, { modelDir, mode, dtype, set });
    const ready = await first;
    try {
      for (const concurrency of concurrencies) {
        log(`server: ${mode} ${dtype}, concurrency ${concurrency}, ${seconds} s`);
        server.push({ mode, dtype, concurrency, ...(await drive(ready['port']!, concurrency, seconds * 1000)), ...engineOf(ready) });
      }
    } finally {
      child.send('exit');
    }
  }
  return { eventLoop, server, seconds };
}

/**
 * Default options (`workers` mode) against in-thread mode in the server scenario: throughput at
 * concurrency 4, p50 at 1. The fp32 names predate the q8 rows; the q8 ones end in Q8.
 */
export function serverRatios(result: Responsiveness): Record<string, number> {
  const out: Record<string, number> = {};
  for (const dtype of ['fp32', 'q8'] as const) {
    const at = (mode: ServeMode, concurrency: number) => result.server.find((r) => r.mode === mode && r.dtype === dtype && r.concurrency === concurrency);
    const suffix = dtype === 'fp32' ? '' : 'Q8';
    const [w4, t4, w1, t1] = [at('workers', 4), at('in-thread', 4), at('workers', 1), at('in-thread', 1)];
    if (w4 && t4) out[`serverWorkersThroughputVsInThreadAt4${suffix}`] = w4.requestsPerSecond / t4.requestsPerSecond;
    if (w1 && t1) out[`serverWorkersP50VsInThreadAt1${suffix}`] = w1.rerankP50Ms / t1.rerankP50Ms;
  }
  return out;
}
