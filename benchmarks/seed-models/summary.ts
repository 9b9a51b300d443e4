// Figures derived from one timing process's raw timings.
import { percentile, round } from '../src/stats.js';
import type { TimingResult } from './time-child.js';

export interface RunSummary {
  pass: number;
  shape: string;
  dtype: 'fp32' | 'q8';
  queries: number;
  loadMs: number;
  warmupMs: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  pairsPerS: number;
  tokensPerS: number;
  meanTokensPerPair: number;
  peakRssMiB: number;
  queryMs: number[];
  loadAverage: { start: number[]; end: number[] };
}

export function summarizeRun(pass: number, shape: string, dtype: 'fp32' | 'q8', size: number, raw: TimingResult): RunSummary {
  const totalMs = raw.queryMs.reduce((a, b) => a + b, 0);
  const tokens = raw.tokensPerQuery.reduce((a, b) => a + b, 0);
  return {
    pass,
    shape,
    dtype,
    queries: raw.queryMs.length,
    loadMs: round(raw.loadMs, 0),
    warmupMs: round(raw.warmupMs, 0),
    p50Ms: round(percentile(raw.queryMs, 50), 0),
    p95Ms: round(percentile(raw.queryMs, 95), 0),
    meanMs: round(totalMs / raw.queryMs.length, 0),
    pairsPerS: round((size * raw.queryMs.length * 1000) / totalMs, 1),
    tokensPerS: round((tokens * 1000) / totalMs, 0),
    meanTokensPerPair: round(tokens / (size * raw.tokensPerQuery.length), 1),
    peakRssMiB: round(raw.peakRssMiB, 0),
    queryMs: raw.queryMs.map((ms) => round(ms, 1)),
    loadAverage: raw.loadAverage,
  };
}
