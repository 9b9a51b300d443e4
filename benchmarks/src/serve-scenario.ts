// The `crossrank serve` scenario of `pnpm bench` (`--only serve` runs it alone): the built CLI serves the
// bench model in a child process; closed-loop HTTP clients here post 20-candidate sets to /v1/rerank at
// each concurrency, with /health probed meanwhile; then the same sets through an in-process CrossEncoder
// (the HTTP hop's overhead is the difference), the two alternating per concurrency and never running at
// once; then 64 clients against `--max-queue 8` (refusals, errors, p99 of the accepted).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { CrossEncoder } from '@crossrank/onnx';
import { percentile, round } from './stats.js';
import type { CandidateSet } from './workload.js';

export interface ServeScenarioOptions {
  /** packages/cli/dist/cli.js */
  cliPath: string;
  modelDir: string;
  sets: CandidateSet[];
  seconds: number;
  concurrencies: number[];
  topN: number;
  overload: { clients: number; maxQueue: number };
  log: (line: string) => void;
}

export interface LoadRow {
  concurrency: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** `/health` latency while the clients run (HTTP rows only). */
  healthP99Ms?: number;
  errors: number;
}

export interface ServeScenarioResult {
  seconds: number;
  candidates: number;
  http: LoadRow[];
  inProcess: LoadRow[];
  /** Per concurrency: HTTP p50 minus in-process p50 (ms), and throughput HTTP / in-process. */
  overhead: Array<{ concurrency: number; p50AddedMs: number; throughputRatio: number }>;
  overload: { clients: number; maxQueue: number; accepted: number; refused429: number; errors: number; acceptedP99Ms: number; acceptedPerSecond: number; retryAfterS: number[] };
}

interface Served {
  port: number;
  stop(): Promise<number | null>;
}

async function startServe(cliPath: string, modelDir: string, extra: string[]): Promise<Served> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--model', modelDir, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let port = 0;
  const ready = new Promise<number>((resolve, reject) => {
    // Request log lines follow; only the events matter here.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as { event?: string; url?: string };
      if (event.event === 'ready') resolve(port);
      if (event.event === 'listening') port = Number(new URL(event.url!).port);
    });
    void exit.then((code) => reject(new Error(`crossrank serve exited with ${code}: ${stderr}`)));
  });
  await ready;
  return {
    port,
    stop: () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

interface Answer {
  status: number;
  ms: number;
  retryAfter?: number;
}

function request(port: number, agent: http.Agent, method: 'GET' | 'POST', path: string, body?: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume().on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, ...(retryAfter ? { retryAfter: Number(retryAfter) } : {}) });
      });
    });
    // A network error counts as status 0: an error, never a refusal.
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}

function rerankBody(set: CandidateSet, topN: number): string {
  return JSON.stringify({ query: set.query, documents: set.docs, top_n: topN });
}

/** `concurrency` closed-loop clients for `ms`, each cycling through the sets, plus a /health probe every 50 ms. */
async function driveHttp(port: number, sets: CandidateSet[], concurrency: number, ms: number, topN: number): Promise<LoadRow> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency + 1 });
  const end = performance.now() + ms;
  const started = performance.now();
  const latencies: number[] = [];
  const health: number[] = [];
  let errors = 0;
  let next = 0;
  const client = async () => {
    while (performance.now() < end) {
      const answer = await request(port, agent, 'POST', '/v1/rerank', rerankBody(sets[next++ % sets.length]!, topN));
      if (answer.status === 200) latencies.push(answer.ms);
      else errors++;
    }
  };
  const prober = async () => {
    while (performance.now() < end) {
      health.push((await request(port, agent, 'GET', '/health')).ms);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all([...Array.from({ length: concurrency }, client), prober()]);
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  return { concurrency, requests: latencies.length, requestsPerSecond: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), healthP99Ms: percentile(health, 99), errors };
}

async function driveInProcess(encoder: CrossEncoder, sets: CandidateSet[], concurrency: number, ms: number, topN: number): Promise<LoadRow> {
  const end = performance.now() + ms;
  const started = performance.now();
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    while (performance.now() < end) {
      const set = sets[next++ % sets.length]!;
      const t = performance.now();
      await encoder.rerank(set.query, set.docs, { topN });
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  return { concurrency, requests: latencies.length, requestsPerSecond: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), errors: 0 };
}

/** `clients` closed-loop clients; a refused one (429) pauses 50 ms and tries again, to keep the pressure on. */
async function driveOverload(port: number, sets: CandidateSet[], clients: number, ms: number, topN: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const end = performance.now() + ms;
  const started = performance.now();
  const accepted: number[] = [];
  const retryAfter = new Set<number>();
  let refused = 0;
  let errors = 0;
  let next = 0;
  const client = async () => {
    while (performance.now() < end) {
      const answer = await request(port, agent, 'POST', '/v1/rerank', rerankBody(sets[next++ % sets.length]!, topN));
      if (answer.status === 200) accepted.push(answer.ms);
      else if (answer.status === 429) {
        refused++;
        if (answer.retryAfter !== undefined) retryAfter.add(answer.retryAfter);
        await new Promise((resolve) => setTimeout(resolve, 50));
      } else errors++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  return { accepted: accepted.length, refused429: refused, errors, acceptedP99Ms: percentile(accepted, 99), acceptedPerSecond: accepted.length / seconds, retryAfterS: [...retryAfter].sort((a, b) => a - b) };
}

export async function runServeScenario(options: ServeScenarioOptions): Promise<ServeScenarioResult> {
  const { cliPath, modelDir, sets, seconds, concurrencies, topN, log } = options;
  const ms = seconds * 1000;
  const httpRows: LoadRow[] = [];
  const inProcess: LoadRow[] = [];
  // HTTP and in-process rows alternate per concurrency, so a change in the machine's load hits both
  // alike; the idle side holds its loaded model but uses no CPU.
  const served = await startServe(cliPath, modelDir, []);
  const encoder = await CrossEncoder.load(modelDir);
  try {
    const warm = new http.Agent({ keepAlive: true });
    await request(served.port, warm, 'POST', '/v1/rerank', rerankBody(sets[0]!, topN));
    warm.destroy();
    await encoder.rerank(sets[0]!.query, sets[0]!.docs, { topN });
    for (const concurrency of concurrencies) {
      log(`serve: HTTP, ${concurrency} client(s), ${seconds} s`);
      httpRows.push(await driveHttp(served.port, sets, concurrency, ms, topN));
      log(`serve: in-process CrossEncoder, ${concurrency} caller(s), ${seconds} s`);
      inProcess.push(await driveInProcess(encoder, sets, concurrency, ms, topN));
    }
  } finally {
    await encoder.dispose();
    const code = await served.stop();
    if (code !== 0) throw new Error(`crossrank serve exited with ${code} on SIGTERM`);
  }

  const { clients, maxQueue } = options.overload;
  log(`serve: overload, ${clients} clients against --max-queue ${maxQueue}, ${seconds} s`);
  const limited = await startServe(cliPath, modelDir, ['--max-queue', String(maxQueue)]);
  let overload;
  try {
    overload = await driveOverload(limited.port, sets, clients, ms, topN);
  } finally {
    await limited.stop();
  }

  return {
    seconds,
    candidates: sets[0]!.docs.length,
    http: httpRows,
    inProcess,
    overhead: httpRows.map((row, i) => ({
      concurrency: row.concurrency,
      p50AddedMs: row.p50Ms - inProcess[i]!.p50Ms,
      throughputRatio: row.requestsPerSecond / inProcess[i]!.requestsPerSecond,
    })),
    overload: { clients, maxQueue, ...overload },
  };
}

export function serveMarkdown(result: ServeScenarioResult, header: string): string {
  const r = (n: number, d = 1) => String(round(n, d));
  const lines = [
    header,
    '',
    `\`crossrank serve\` (child process, POST /v1/rerank, top 3 of ${result.candidates}) against an in-process \`CrossEncoder.rerank\` on the same sets; ${result.seconds} s per row, closed-loop clients.`,
    '',
    '| clients | serve req/s | serve p50 / p99 ms | /health p99 ms | in-process req/s | in-process p50 / p99 ms | HTTP hop: p50 added ms, throughput ratio | errors |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...result.http.map((row, i) => {
      const local = result.inProcess[i]!;
      const hop = result.overhead[i]!;
      return `| ${row.concurrency} | ${r(row.requestsPerSecond, 2)} | ${r(row.p50Ms)} / ${r(row.p99Ms)} | ${r(row.healthP99Ms!)} | ${r(local.requestsPerSecond, 2)} | ${r(local.p50Ms)} / ${r(local.p99Ms)} | ${r(hop.p50AddedMs)}, ${r(hop.throughputRatio, 2)}x | ${row.errors} |`;
    }),
    '',
    `Overload: ${result.overload.clients} clients against \`--max-queue ${result.overload.maxQueue}\`: ${result.overload.accepted} accepted (${r(result.overload.acceptedPerSecond, 2)}/s, p99 ${r(result.overload.acceptedP99Ms)} ms), ${result.overload.refused429} refused with 429 (Retry-After ${result.overload.retryAfterS.join(', ') || '-'} s; a refused client retried after 50 ms), ${result.overload.errors} errors.`,
    '',
  ];
  return lines.join('\n');
}
