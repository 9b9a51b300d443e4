// Issue #21's figures ("responsive and memory-lean by default on a two-core machine") as one flat map
// of named numbers, and its goals computed from that map: the same code grades one run and the
// median of `--only responsiveness --runs N`.
import { footprintRatios, type Footprint } from './footprint.js';
import { HEARTBEAT_MS } from './heartbeat.js';
import type { Responsiveness } from './responsiveness.js';
import type { Goal } from './result.js';
import { median } from './stats.js';

export const RESPONSIVE_GOALS = {
  /** Largest event-loop gap (tick interval minus the heartbeat period), back-to-back reranks, default options. */
  rerankGapMs: 10,
  /** Largest gap while `CrossEncoder.load` runs, default options. */
  loadGapMs: 20,
  healthP99At4Ms: 10,
  throughputVsWorkers0At4: 1.3,
  p50VsWorkers0At1: 1.05,
  peakRssVsWorkers0: 1.25,
  /** Throughput vs the transformers.js baseline of the last committed full run (benchmarks/results/bench.md). */
  keptSpeedup: { fp32: 1.84, q8: 2.51 },
} as const;

const DTYPES = ['fp32', 'q8'] as const;
const OPTION_KEY = { default: 'default', 'workers: 0': 'workers0' } as const;

/**
 * The figures, by name: `eventLoop.<dtype>.<mode>.gapMs`, `server.<dtype>.*`,
 * `load.<model>.<dtype>.<default|workers0>.{loadMs,gapMs,firstRerankMs,peakRssMb}`,
 * `load.<model>.<dtype>.{rssRatio,firstRerankRatio}` and, from a full run, `speed.<dtype>VsBaseline`.
 * Missing parts (a skipped scenario) leave their names out.
 */
export function responsiveFigures(parts: { responsiveness?: Responsiveness; footprint?: Footprint; ratios?: Record<string, number> }): Record<string, number> {
  const out: Record<string, number> = {};
  const { responsiveness, footprint, ratios } = parts;
  if (responsiveness) {
    for (const r of responsiveness.eventLoop) out[`eventLoop.${r.dtype}.${r.mode}.gapMs`] = Math.max(0, r.maxGapMs - HEARTBEAT_MS);
    for (const dtype of DTYPES) {
      const at = (mode: string, concurrency: number) => responsiveness.server.find((r) => r.mode === mode && r.dtype === dtype && r.concurrency === concurrency);
      const [w4, t4, w1, t1] = [at('workers', 4), at('in-thread', 4), at('workers', 1), at('in-thread', 1)];
      if (w4) out[`server.${dtype}.healthP99At4Ms`] = w4.healthP99Ms;
      if (w4 && t4) out[`server.${dtype}.throughputVsWorkers0At4`] = w4.requestsPerSecond / t4.requestsPerSecond;
      if (w1 && t1) out[`server.${dtype}.p50VsWorkers0At1`] = w1.rerankP50Ms / t1.rerankP50Ms;
    }
  }
  if (footprint) {
    for (const r of footprint.rows) {
      const key = `load.${r.model}.${r.dtype}.${OPTION_KEY[r.option]}`;
      Object.assign(out, { [`${key}.loadMs`]: r.loadMs, [`${key}.gapMs`]: r.loadGapMs, [`${key}.firstRerankMs`]: r.firstRerankMs, [`${key}.peakRssMb`]: r.peakRssMb });
    }
    for (const r of footprintRatios(footprint)) {
      out[`load.${r.model}.${r.dtype}.rssRatio`] = r.rss;
      out[`load.${r.model}.${r.dtype}.firstRerankRatio`] = r.firstRerank;
    }
  }
  for (const dtype of DTYPES) {
    const speed = ratios?.[`${dtype}ThroughputVsBaseline`];
    if (speed !== undefined) out[`speed.${dtype}VsBaseline`] = speed;
  }
  return out;
}

const MODEL_NAMES: Record<string, string> = { miniLM: 'MiniLM-shaped model', bigTokenizer: '17 MB XLM-R-style tokenizer.json', large: '1.3 GB model' };

/** Issue #21's goal rows, for the figures present (a row whose figure is missing is left out). */
export function responsiveGoals(figures: Record<string, number>): Goal[] {
  const g = RESPONSIVE_GOALS;
  const goals: Goal[] = [];
  const add = (key: string, name: string, target: string, met: (v: number) => boolean, show: (v: number) => string) => {
    const value = figures[key];
    if (value !== undefined) goals.push({ name, target, value: show(value), met: met(value) });
  };
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const x = (v: number) => `${v.toFixed(2)}x`;
  for (const dtype of DTYPES) {
    add(`eventLoop.${dtype}.workers.gapMs`, `largest event-loop gap beyond the ${HEARTBEAT_MS} ms tick, back-to-back reranks, default options, ${dtype}`, `<= ${g.rerankGapMs} ms`, (v) => v <= g.rerankGapMs, ms);
  }
  for (const model of ['miniLM', 'bigTokenizer']) {
    for (const dtype of DTYPES) {
      add(`load.${model}.${dtype}.default.gapMs`, `largest event-loop gap while loading, ${MODEL_NAMES[model]}, default options, ${dtype}`, `<= ${g.loadGapMs} ms`, (v) => v <= g.loadGapMs, ms);
    }
  }
  for (const dtype of DTYPES) {
    add(`server.${dtype}.healthP99At4Ms`, `/health p99 at 4 clients, default options, ${dtype}`, `<= ${g.healthP99At4Ms} ms`, (v) => v <= g.healthP99At4Ms, ms);
    add(`server.${dtype}.throughputVsWorkers0At4`, `throughput at 4 clients, default options vs workers: 0, ${dtype}`, `>= ${x(g.throughputVsWorkers0At4)}`, (v) => v >= g.throughputVsWorkers0At4, x);
    add(`server.${dtype}.p50VsWorkers0At1`, `one client's p50 latency, default options vs workers: 0, ${dtype}`, `<= ${x(g.p50VsWorkers0At1)}`, (v) => v <= g.p50VsWorkers0At1, x);
  }
  for (const model of ['miniLM', 'large']) {
    for (const dtype of DTYPES) {
      add(`load.${model}.${dtype}.rssRatio`, `peak RSS (load + one 20-candidate rerank), default options vs workers: 0, ${MODEL_NAMES[model]}, ${dtype}`, `<= ${x(g.peakRssVsWorkers0)}`, (v) => v <= g.peakRssVsWorkers0, x);
    }
  }
  for (const dtype of DTYPES) {
    add(`speed.${dtype}VsBaseline`, `${dtype} throughput vs the naive transformers.js code, kept`, `>= ${x(g.keptSpeedup[dtype])} (last run)`, (v) => v >= g.keptSpeedup[dtype], x);
  }
  return goals;
}

export interface FigureSpread {
  name: string;
  runs: number[];
  min: number;
  median: number;
  max: number;
}

/** Per figure: each run's value and their min / median / max (figures missing from a run are skipped there). */
export function spreadOf(runs: ReadonlyArray<Record<string, number>>): FigureSpread[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return names.map((name) => {
    const values = runs.map((r) => r[name]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return { name, runs: runs.map((r) => r[name] ?? Number.NaN), min: Math.min(...values), median: median(values), max: Math.max(...values) };
  });
}

export function spreadLines(spread: readonly FigureSpread[]): string[] {
  const runs = spread[0]?.runs.length ?? 0;
  const cell = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : 'n/a');
  return [
    `| figure | ${Array.from({ length: runs }, (_, i) => `run ${i + 1}`).join(' | ')} | min | median | max |`,
    `|---|${Array.from({ length: runs + 3 }, () => '---:').join('|')}|`,
    ...spread.map((s) => `| ${s.name} | ${s.runs.map(cell).join(' | ')} | ${cell(s.min)} | ${cell(s.median)} | ${cell(s.max)} |`),
  ];
}
