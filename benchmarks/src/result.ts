import type { Footprint } from './footprint.js';
import type { Responsiveness } from './responsiveness.js';
import type { DecidedAgreement } from './decided.js';
/** The JSON the benchmark writes (`results/bench.json`); the markdown table is made from it. */
export interface BenchResult {
  schema: 'crossrank-bench/1';
  createdAt: string;
  mode: 'full' | 'quick';
  durationS: number;
  machine: MachineInfo;
  model: {
    shape: string;
    dir: string;
    layers: number;
    hidden: number;
    intermediate: number;
    randomWeights: true;
    /** Operator counts of the int8 graph (c) loads. */
    q8Ops: Record<string, number>;
  };
  workload: { source: 'dl19' | 'generated'; queries: number; candidatesPerQuery: number; rounds: number; topN: number; meanPairTokens: number };
  flopsFormula: string;
  peak: PeakSummary;
  variants: VariantSummary[];
  agreement: Agreement;
  scale: ScaleRun[];
  ratios: Record<string, number>;
  /** The event-loop and node:http server scenarios (absent with --responsiveness none). */
  responsiveness?: Responsiveness;
  /** Load gap, first-call latency and peak RSS per model, dtype and `workers` option (issue #21). */
  footprint?: Footprint;
  goals: Goal[];
  notes: string[];
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  /** The CPU flags that decide which int8 and fp32 kernels ONNX Runtime picks. */
  flags: string[];
  /** `flags` for people: the kernel flags present, or `unknown` off Linux (see machine.ts). */
  vectorExtensions: string;
  loadAverage: { start: number[]; end: number[] };
  node: string;
  onnxruntime: string;
  transformers: string;
}

export interface PeakSummary {
  matMul: string;
  threads: number;
  samples: number;
  medianGflops: number;
  maxGflops: number;
}

export interface VariantSummary {
  id: string;
  label: string;
  dtype: 'fp32' | 'q8';
  runs: number;
  pairsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  paddedShare: number;
  forwardPassesPerQuery: number;
  usefulGflops: number;
  /** Useful work rate over the fp32 MatMul peak measured in the same run (for q8: int8 ops over the fp32 peak). */
  shareOfFp32Peak: number;
  loadMs: number;
  peakRssMb: number;
  info: Record<string, unknown>;
}

export interface Agreement {
  /** Pairs whose untruncated length fits the model: where the baseline's truncation cannot differ. */
  comparedPairs: number;
  excludedTruncatedPairs: number;
  fp32VsBaseline: { maxAbsScoreDiff: number; maxAbsLogitDiff: number; sameTop3Share: number };
  q8VsFp32: {
    maxAbsScoreDiff: number;
    maxAbsLogitDiff: number;
    sameTop3Share: number;
    sameTop3SetShare: number;
    /** Queries whose fp32 top-3 cut is wider than q8's largest logit error, and how many of them kept the set. */
    beyondError: DecidedAgreement;
  };
  /** Fused vs unfused int8 graph (when both ran): the same arithmetic, so only float rounding differs. */
  q8FusedVsUnfused?: { maxAbsLogitDiff: number };
}

export interface ScaleRun {
  candidates: number;
  dtype: 'fp32' | 'q8';
  ms: number;
  pairsPerSecond: number;
  usefulTokens: number;
  paddedShare: number;
  forwardPasses: number;
  /** Milliseconds per useful GFLOP: equal across sizes when time is linear in the work. */
  msPerUsefulGflop: number;
  /** The process's peak resident memory (model, runtime, inputs and the call). */
  peakRssMb: number;
  /** Resident memory just before the call, candidates already in memory. */
  rssBeforeCallMb: number;
  /** How far the call itself raised resident memory (sampled between forward passes). */
  callRssGrowthMb: number;
}

export interface Goal {
  name: string;
  target: string;
  value: string;
  met: boolean;
}
