// A child process for the responsiveness scenarios: one reranker behind a node:http server with
// GET /rerank (one candidate set per request), GET /health, and, for the event-loop scenario,
// a 5 ms (HEARTBEAT_MS) heartbeat and a local rerank loop. It reports on stdout as JSON lines.
import http from 'node:http';
import { HEARTBEAT_MS } from './heartbeat.js';
import { loadBaseline, loadCrossEncoder, loadDefaultCrossEncoder, type Scorer } from './scorers.js';
import { percentile } from './stats.js';
import type { CandidateSet } from './workload.js';

/** `workers`: CrossEncoder.load's default options (whatever `workers` they pick); `in-thread`: `workers: 0`. */
export type ServeMode = 'workers' | 'in-thread' | 'baseline';

export interface ServeSpec {
  modelDir: string;
  mode: ServeMode;
  dtype: 'fp32' | 'q8';
  set: CandidateSet;
  /** Event-loop scenario: rerank in a loop in this process for this long, with a 5 ms heartbeat. */
  loopMs?: number;
}

async function loadScorer(spec: ServeSpec): Promise<Scorer> {
  if (spec.mode === 'baseline') return loadBaseline(spec.modelDir);
  return spec.mode === 'in-thread' ? loadCrossEncoder(spec.modelDir, spec.dtype, { workers: 0 }) : loadDefaultCrossEncoder(spec.modelDir, spec.dtype);
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as ServeSpec;
  const scorer = await loadScorer(spec);
  await scorer.top(spec.set, 3);
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      res.end('ok');
      return;
    }
    if (req.url === '/rerank') {
      scorer.top(spec.set, 3).then(
        (top) => res.end(JSON.stringify(top)),
        (error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        },
      );
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  // What the options resolved to (CrossEncoder only): the default `workers` may change with the engine.
  const engine = typeof scorer.info['workers'] === 'number' ? { workers: scorer.info['workers'], threads: scorer.info['threads'] } : {};
  if (spec.loopMs === undefined) {
    process.stdout.write(`${JSON.stringify({ port, ...engine })}\n`);
    process.on('message', () => process.exit(0));
    return;
  }
  // Event loop: rerank in a loop while a 5 ms heartbeat and a GET every 20 ms measure the loop.
  const gaps: number[] = [];
  let last = performance.now();
  const beat = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, HEARTBEAT_MS);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const gets: number[] = [];
  const end = performance.now() + spec.loopMs;
  const getter = (async () => {
    while (performance.now() < end) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) =>
        http.get({ host: '127.0.0.1', port, path: '/health', agent }, (res) => res.resume().on('end', resolve)).on('error', reject),
      );
      gets.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let reranks = 0;
  while (performance.now() < end) {
    await scorer.top(spec.set, 3);
    reranks++;
  }
  await getter;
  clearInterval(beat);
  agent.destroy();
  server.close();
  process.stdout.write(`${JSON.stringify({ reranks, maxGapMs: Math.max(...gaps), getP50Ms: percentile(gets, 50), getP99Ms: percentile(gets, 99), gets: gets.length, ...engine })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
