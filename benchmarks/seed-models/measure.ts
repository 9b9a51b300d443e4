// Measures the CPU speed of each seed model's real shape (see seed-models.ts) with generated
// models, and writes results.json + results.md next to this file. Run from the repo root:
//   pnpm install && pnpm --dir benchmarks exec tsx seed-models/measure.ts
// It rebuilds @crossrank/onnx and @crossrank/testing first (the timings are of the built dist), generates each shape once
// into the git-ignored .cache/, then times every shape and dtype in its own process, twice.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './machine.js';
import { toMarkdown, type SeedModelsResult, type ShapeInfo } from './report.js';
import { SEED_MODELS, SHAPES, type Shape } from './seed-models.js';
import { summarizeRun, type RunSummary } from './summary.js';
import type { TimingResult, TimingSpec } from './time-child.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const CANDIDATES = 20;
const TOP_N = 3;

const USAGE = `Usage (from the repo root): pnpm --dir benchmarks exec tsx seed-models/measure.ts [options]

  --passes N        timing passes over all shapes; pass 2 runs them in reverse order (default 2)
  --queries N       timed queries per shape, after 1 warm-up (default: 10, 5 for the 24-layer shape)
  --shapes A,B      only these shapes (${SHAPES.map((s) => s.id).join(', ')})
  --data-dir DIR    TREC DL19 folder holding bm25_top100_dl19.json (default ../shared/data/trec-dl19;
                    generated passages when it is absent)
  --out DIR         where results.json and results.md go (default benchmarks/seed-models)
  --no-build        skip rebuilding the packages
`;

interface Config {
  passes: number;
  queries?: number;
  shapes: Shape[];
  dataDir: string;
  out: string;
  build: boolean;
}

function parseArgs(argv: string[]): Config | 'help' {
  const config: Config = { passes: 2, shapes: [...SHAPES], dataDir: path.resolve(repoRoot, '..', 'shared', 'data', 'trec-dl19'), out: here, build: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value.\n\n${USAGE}`);
      return v;
    };
    const count = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${argv[i]}.`);
      return n;
    };
    if (flag === '--') continue;
    else if (flag === '--help' || flag === '-h') return 'help';
    else if (flag === '--passes') config.passes = count();
    else if (flag === '--queries') config.queries = count();
    else if (flag === '--data-dir') config.dataDir = path.resolve(value());
    else if (flag === '--out') config.out = path.resolve(value());
    else if (flag === '--no-build') config.build = false;
    else if (flag === '--shapes') {
      const ids = value().split(',');
      config.shapes = ids.map((id) => {
        const shape = SHAPES.find((s) => s.id === id);
        if (!shape) throw new Error(`--shapes: unknown shape ${JSON.stringify(id)}; known: ${SHAPES.map((s) => s.id).join(', ')}.`);
        return shape;
      });
    } else throw new Error(`Unknown argument ${JSON.stringify(flag)}.\n\n${USAGE}`);
  }
  return config;
}

const t0 = performance.now();
const log = (line: string) => process.stderr.write(`[seed-models ${((performance.now() - t0) / 1000).toFixed(0)}s] ${line}\n`);

/** Runs a TypeScript file of this folder in a fresh Node process (tsx's loader comes with execArgv); resolves its stdout. */
function runChild(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, path.join(here, file), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${file} ${args.join(' ')} exited with code ${code} (signal ${signal}).`)),
    );
  });
}

const lastJsonLine = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T;

function buildCore(): void {
  log('building @crossrank/onnx and @crossrank/testing (the timings are of their dist)');
  const built = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@crossrank/benchmarks^...', '--output-logs=errors-only'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) throw new Error(`building the packages failed (exit ${built.status ?? built.error?.message}). Run pnpm install first.`);
}

function modelDir(shape: Shape): string {
  // Same cache root as defaultTestModelDir, anchored at the repo root rather than the cwd.
  return path.join(process.env.CROSSRANK_CACHE_DIR || path.join(repoRoot, '.cache', 'crossrank'), 'models', shape.id);
}

async function prepareShape(shape: Shape): Promise<ShapeInfo> {
  const dir = modelDir(shape);
  const started = performance.now();
  await runChild('generate-child.ts', [shape.id, dir]);
  const seconds = (performance.now() - started) / 1000;
  if (seconds > 5) log(`generated ${shape.id} in ${seconds.toFixed(0)} s (${dir})`);
  const mib = (file: string) => Math.round(statSync(path.join(dir, 'onnx', file)).size / 2 ** 20);
  return { ...shape, dir, fileMiB: { fp32: mib('model.onnx'), q8: mib('model_quantized.onnx') } };
}

async function main(): Promise<void> {
  const config = parseArgs(process.argv.slice(2));
  if (config === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const command = ['pnpm --dir benchmarks exec tsx seed-models/measure.ts', ...process.argv.slice(2)].join(' ');
  if (config.build) buildCore();

  const shapes: ShapeInfo[] = [];
  for (const shape of config.shapes) shapes.push(await prepareShape(shape));

  const started = performance.now();
  const runs: RunSummary[] = [];
  let source = '';
  for (let pass = 1; pass <= config.passes; pass++) {
    // Alternating the order spreads slow spells of a shared machine over different models.
    const order = pass % 2 === 1 ? shapes : [...shapes].reverse();
    for (const shape of order) {
      for (const dtype of pass % 2 === 1 ? (['fp32', 'q8'] as const) : (['q8', 'fp32'] as const)) {
        const spec: TimingSpec = { dir: shape.dir, dtype, dataDir: config.dataDir, queries: config.queries ?? shape.queries, size: CANDIDATES, topN: TOP_N };
        const raw = lastJsonLine<TimingResult>(await runChild('time-child.ts', [JSON.stringify(spec)]));
        source = raw.source;
        const run = summarizeRun(pass, shape.id, dtype, CANDIDATES, raw);
        runs.push(run);
        log(
          `pass ${pass} ${shape.id} ${dtype}: load ${run.loadMs} ms, p50 ${run.p50Ms} ms, p95 ${run.p95Ms} ms, ${run.pairsPerS} pairs/s, ` +
            `peak RSS ${run.peakRssMiB} MiB (${run.queries} queries, load avg ${os.loadavg()[0]!.toFixed(1)})`,
        );
      }
    }
  }

  const result: SeedModelsResult = {
    schema: 'crossrank-seed-models/1',
    createdAt: new Date().toISOString(),
    durationS: Math.round((performance.now() - started) / 1000),
    command,
    machine: machineInfo(),
    workload: { source, candidates: CANDIDATES, topN: TOP_N, warmupQueries: 1, passes: config.passes },
    // Paths relative to the repo root: results are committed, the machine's layout is not.
    shapes: shapes.map((s) => ({ ...s, dir: path.relative(repoRoot, s.dir) })),
    models: SEED_MODELS,
    runs,
  };
  mkdirSync(config.out, { recursive: true });
  writeFileSync(path.join(config.out, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  const markdown = toMarkdown(result);
  writeFileSync(path.join(config.out, 'results.md'), markdown);
  process.stdout.write(markdown);
  log(`wrote ${path.relative(process.cwd(), path.join(config.out, 'results.json'))} and results.md`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
