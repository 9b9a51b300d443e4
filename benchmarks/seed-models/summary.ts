// Figures derived from one timing process's raw timings.
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

/** Linear interpolation between closest ranks; with 10 values p95 lies between the two slowest. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
