import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '@crossrank/core';
import type { BenchConfig, ExtraVariant } from './config.js';

/** A command-line flag is unknown, missing its value or out of range. */
export class BenchUsageError extends InvalidInputError {}

export const USAGE = `Usage: pnpm bench [options]

Times (a) the usual transformers.js code, (b) CrossEncoder fp32 and (c) CrossEncoder q8 on TREC DL19
candidate sets (generated passages when ../shared/data/trec-dl19 is absent), alternating a b c per query,
plus the fp32 MatMul peak and one-query scale runs. Writes bench.json and bench.md to --out.

  --quick                 seconds-long smoke run: tiny model, generated passages, 3 queries, 1 round
  --rounds N              timed rounds over all queries (default 2; quick 1)
  --queries N             use the first N queries (default all 43 DL19 queries; quick 3)
  --candidates N          candidates per query (default 20)
  --data auto|dl19|generated   (default auto: DL19 when present)
  --data-dir DIR          where the TREC DL19 files are (default ../shared/data/trec-dl19 beside the repository)
  --scale N,N|none        one-query candidate counts, each in a fresh process (default 1000,10000; quick 40,400)
  --scale-dtype q8|fp32   dtype of the scale runs (default q8)
  --peak-size N           side of the peak MatMul (default 1024; quick 256)
  --q8-format fused|unfused|both  int8 graph of (c): ORT's fused BERT ops, or the plain per-MatMul one;
                          both adds the unfused one as (c') (default both; quick fused)
  --engine JSON           CrossEncoder.load options for (b) and (c), e.g. '{"maxBatchTokens":2048}'
  --extra LABEL:DTYPE:JSON  add a CrossEncoder variant to the rotation (repeatable), to A/B options
  --shape miniLM|tiny     model shape (default miniLM; quick tiny)
  --model-dir DIR         where the generated model is written (default benchmarks/.cache/models/<shape>)
  --responsiveness S|none seconds per event-loop run and per server concurrency level (default 8; quick 0.5),
                          or none to skip the event-loop and node:http server scenarios and the load and memory rows
  --concurrency N,N       closed-loop clients of the server scenario (default 1,4,16; quick 1,4)
  --only serve            run only the \`crossrank serve\` scenario (HTTP server vs in-process CrossEncoder at each
                          --concurrency, /health while saturated, 64 clients against --max-queue 8); it also
                          runs in a full run. Seconds per row: --responsiveness. Writes serve.json and serve.md
  --only responsiveness   run only issue #21's rows: event loop, node:http server (fp32 and q8), the largest
                          event-loop gap while loading and peak RSS (default options vs workers: 0, each in a
                          fresh process, on the bench model, an XLM-R model with a 17 MB tokenizer.json and a
                          1.3 GB model) and their goals; they also run in a full run. Writes responsiveness.json/.md
  --runs N                with --only responsiveness: repeat it N times, printing each run and the min / median /
                          max of every figure (goals graded on the medians; default 1)
  --only causal           run only the causal-LM reranker scenario (not part of a full run): a generated model of
                          Qwen3-Reranker-0.6B's shape (2.4 GB fp32, 1 GB q8, in benchmarks/.cache/models/qwen3-0.6b),
                          fp32 and q8, as exported and with the LM head on the last position only (keepLastPositionFile),
                          each in its own process with CrossEncoder.load's defaults (--engine to change),
                          --candidates per query (default 20) on --queries sets (default 5); per-query ms, load ms,
                          peak RSS. With --quick: a tiny qwen3 model, seconds. Writes causal.json and causal.md
  --out DIR               where results go (default benchmarks/results; quick benchmarks/.cache/quick)
`;

export interface Paths {
  repoRoot: string;
  benchDir: string;
  workerPath: string;
}

export function parseArgs(argv: readonly string[], paths: Paths): BenchConfig | 'help' {
  const flags = new Map<string, string[]>();
  const booleans = new Set(['--quick', '--help', '-h']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (!arg.startsWith('-')) throw new BenchUsageError(`Unexpected argument ${JSON.stringify(arg)}. Flags start with --; see --help.`);
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!KNOWN.has(name!)) throw new BenchUsageError(`Unknown flag ${name}. Run with --help for the list.`);
    if (booleans.has(name!)) {
      flags.set(name!, ['true']);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new BenchUsageError(`${name} needs a value; see --help.`);
    flags.set(name!, [...(flags.get(name!) ?? []), value]);
  }
  if (flags.has('--help') || flags.has('-h')) return 'help';
  const quick = flags.has('--quick');
  const one = (name: string) => flags.get(name)?.at(-1);
  const shape = choice(one('--shape'), '--shape', ['miniLM', 'tiny'] as const) ?? (quick ? 'tiny' : 'miniLM');
  const scaleArg = one('--scale');
  const modelDir = path.resolve(one('--model-dir') ?? path.join(paths.benchDir, '.cache', 'models', shape));
  const only = choice(one('--only'), '--only', ['serve', 'responsiveness', 'causal'] as const);
  const runs = integer(one('--runs'), '--runs', 1) ?? 1;
  if (flags.has('--runs') && only !== 'responsiveness') throw new BenchUsageError('--runs repeats --only responsiveness; add --only responsiveness (a full run runs everything once).');
  if (only === 'responsiveness' && one('--responsiveness') === 'none') throw new BenchUsageError('--only responsiveness with --responsiveness none would measure nothing; give seconds or drop one of them.');
  return {
    mode: quick ? 'quick' : 'full',
    shape,
    modelDir,
    q8Format: choice(one('--q8-format'), '--q8-format', ['fused', 'unfused', 'both'] as const) ?? (quick ? 'fused' : 'both'),
    fusedQ8Dir: `${modelDir}-q8-fused`,
    dataDir: path.resolve(one('--data-dir') ?? path.join(paths.repoRoot, '..', 'shared', 'data', 'trec-dl19')),
    data: choice(one('--data'), '--data', ['auto', 'dl19', 'generated'] as const) ?? (quick ? 'generated' : 'auto'),
    queries: integer(one('--queries'), '--queries', 1) ?? (quick ? 3 : undefined),
    candidates: integer(one('--candidates'), '--candidates', 1) ?? 20,
    topN: 3,
    rounds: integer(one('--rounds'), '--rounds', 1) ?? (quick ? 1 : 2),
    scale: scaleArg === undefined ? (quick ? [40, 400] : [1000, 10000]) : scaleArg === 'none' ? [] : scaleArg.split(',').map((s) => integer(s, '--scale', 1)!),
    scaleDtype: choice(one('--scale-dtype'), '--scale-dtype', ['q8', 'fp32'] as const) ?? 'q8',
    peakSize: integer(one('--peak-size'), '--peak-size', 16) ?? (quick ? 256 : 1024),
    peakRepeats: 3,
    threads: os.availableParallelism?.() ?? os.cpus().length,
    engine: json(one('--engine'), '--engine') ?? {},
    extras: (flags.get('--extra') ?? []).map(extra),
    out: path.resolve(one('--out') ?? (quick ? path.join(paths.benchDir, '.cache', 'quick') : path.join(paths.benchDir, 'results'))),
    workerPath: paths.workerPath,
    servePath: path.join(path.dirname(paths.workerPath), 'serve.ts'),
    responsivenessSeconds: seconds(one('--responsiveness')) ?? (quick ? 0.5 : 8),
    concurrencies: (one('--concurrency') ?? (quick ? '1,4' : '1,4,16')).split(',').map((n) => integer(n, '--concurrency', 1)!),
    only,
    runs,
    probePath: path.join(path.dirname(paths.workerPath), 'fresh-probe.ts'),
    modelsCache: path.join(paths.benchDir, '.cache', 'models'),
  };
}

const KNOWN = new Set([
  '--quick', '--help', '-h', '--rounds', '--queries', '--candidates', '--data', '--scale', '--scale-dtype',
  '--peak-size', '--engine', '--extra', '--shape', '--model-dir', '--out', '--q8-format', '--responsiveness', '--concurrency',
  '--only', '--data-dir', '--runs',
]);

/** `--responsiveness`: positive seconds, or `none` (0: skip). */
function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return 0;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new BenchUsageError(`--responsiveness must be seconds in (0, 600] or none, got ${JSON.stringify(value)}.`);
  return n;
}

function integer(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new BenchUsageError(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}.`);
  return n;
}

function choice<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new BenchUsageError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}.`);
  return value as T;
}

function json(value: string | undefined, name: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new BenchUsageError(`${name} must be a JSON object such as '{"maxBatchTokens":2048}', got ${JSON.stringify(value)}.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new BenchUsageError(`${name} must be a JSON object, got ${JSON.stringify(value)}.`);
  return parsed as Record<string, unknown>;
}

function extra(value: string): ExtraVariant {
  const match = /^([\w.-]+):(fp32|q8):(.*)$/s.exec(value);
  if (!match) throw new BenchUsageError(`--extra must look like LABEL:fp32:{"maxBatchTokens":2048} (LABEL of letters, digits, . _ -), got ${JSON.stringify(value)}.`);
  const [, label, dtype, options] = match;
  if (['baseline', 'fp32', 'q8'].includes(label!)) throw new BenchUsageError(`--extra label ${label} is taken by a built-in variant; pick another.`);
  return { label: label!, dtype: dtype as 'fp32' | 'q8', options: json(options, '--extra')! };
}
