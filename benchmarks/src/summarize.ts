import type { BenchConfig } from './config.js';
import { decidedAgreement } from './decided.js';
import { pairFlops, type BertDims } from './flops.js';
import type { BatchShape } from './protocol.js';
import { responsiveGoals } from './responsive-goals.js';
import type { Agreement, Goal, PeakSummary, ScaleRun, VariantSummary } from './result.js';
import type { RawBench, RawRun, RawVariant } from './run.js';
import { sameMembers, topIndexes } from './top.js';
import { median, percentile, sum } from './stats.js';

export interface Work {
  usefulTokens: number;
  paddedTokens: number;
  usefulFlops: number;
  forwardPasses: number;
}

/** Tokens and useful FLOPs of the forward passes a run made (padding counted apart). */
export function workOf(batches: readonly BatchShape[], dims: BertDims): Work {
  let usefulTokens = 0;
  let paddedTokens = 0;
  let usefulFlops = 0;
  for (const batch of batches) {
    paddedTokens += batch.rows * batch.paddedLength;
    for (const length of batch.lengths) {
      usefulTokens += length;
      usefulFlops += pairFlops(dims, length);
    }
  }
  return { usefulTokens, paddedTokens, usefulFlops, forwardPasses: batches.length };
}

export function summarizePeak(raw: RawBench, config: BenchConfig): PeakSummary {
  const rates = raw.peak.ms.map((ms) => raw.peak.flops / ms / 1e6);
  const n = config.peakSize;
  return { matMul: `${n}x${n} @ ${n}x${n} fp32`, threads: config.threads, samples: rates.length, medianGflops: median(rates), maxGflops: Math.max(...rates) };
}

export function summarizeVariant(variant: RawVariant, candidates: number, dims: BertDims, peak: PeakSummary): VariantSummary {
  const times = variant.runs.map((r) => r.ms);
  const totalMs = sum(times);
  const work = combine(variant.runs.map((r) => workOf(r.batches, dims)));
  const usefulGflops = work.usefulFlops / totalMs / 1e6;
  return {
    id: variant.id,
    label: variant.label,
    dtype: variant.dtype,
    runs: variant.runs.length,
    pairsPerSecond: (variant.runs.length * candidates) / (totalMs / 1000),
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    meanMs: totalMs / variant.runs.length,
    paddedShare: work.paddedTokens === 0 ? 0 : 1 - work.usefulTokens / work.paddedTokens,
    forwardPassesPerQuery: work.forwardPasses / variant.runs.length,
    usefulGflops,
    shareOfFp32Peak: usefulGflops / peak.medianGflops,
    loadMs: variant.loadMs,
    peakRssMb: variant.peakRssMb,
    info: variant.info,
  };
}

function combine(works: readonly Work[]): Work {
  return {
    usefulTokens: sum(works.map((w) => w.usefulTokens)),
    paddedTokens: sum(works.map((w) => w.paddedTokens)),
    usefulFlops: sum(works.map((w) => w.usefulFlops)),
    forwardPasses: sum(works.map((w) => w.forwardPasses)),
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Largest |f(a) - f(b)| over two equally shaped score tables. */
function maxAbsDiff(left: readonly number[][], right: readonly number[][], f: (x: number) => number = (x) => x): number {
  let max = 0;
  left.forEach((row, s) => row.forEach((v, i) => (max = Math.max(max, Math.abs(f(v) - f(right[s]![i]!))))));
  return max;
}

export function agreementOf(raw: RawBench, topN: number): Agreement {
  const byId = new Map(raw.variants.map((v) => [v.id, v]));
  const baseline = byId.get('baseline')!.logits;
  const fp32 = byId.get('fp32')!.logits;
  const q8 = byId.get('q8')!.logits;
  let compared = 0;
  let excluded = 0;
  let maxScore = 0;
  let maxLogit = 0;
  raw.pairLengths.forEach((lengths, s) => {
    lengths.forEach((length, i) => {
      if (length > raw.maxLength) {
        excluded++;
        return;
      }
      compared++;
      maxLogit = Math.max(maxLogit, Math.abs(baseline[s]![i]! - fp32[s]![i]!));
      maxScore = Math.max(maxScore, Math.abs(sigmoid(baseline[s]![i]!) - sigmoid(fp32[s]![i]!)));
    });
  });
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const share = (left: number[][], right: number[][], equal: (a: number[], b: number[]) => boolean) =>
    left.filter((l, s) => equal(topIndexes(l, topN), topIndexes(right[s]!, topN))).length / left.length;
  const q8MaxLogit = maxAbsDiff(fp32, q8);
  const unfused = byId.get('q8-unfused')?.logits;
  return {
    ...(unfused ? { q8FusedVsUnfused: { maxAbsLogitDiff: maxAbsDiff(unfused, q8) } } : {}),
    comparedPairs: compared,
    excludedTruncatedPairs: excluded,
    fp32VsBaseline: { maxAbsScoreDiff: maxScore, maxAbsLogitDiff: maxLogit, sameTop3Share: share(fp32, baseline, same) },
    q8VsFp32: {
      maxAbsScoreDiff: maxAbsDiff(fp32, q8, sigmoid),
      maxAbsLogitDiff: q8MaxLogit,
      sameTop3Share: share(q8, fp32, same),
      sameTop3SetShare: share(q8, fp32, sameMembers),
      beyondError: decidedAgreement(fp32, q8, topN, q8MaxLogit),
    },
  };
}

export function summarizeScale(raw: RawBench, dims: BertDims): ScaleRun[] {
  return raw.scale.map(({ candidates, dtype, run, peakRssMb }) => {
    const work = workOf(run.batches, dims);
    return {
      candidates,
      dtype,
      ms: run.ms,
      pairsPerSecond: candidates / (run.ms / 1000),
      usefulTokens: work.usefulTokens,
      paddedShare: work.paddedTokens === 0 ? 0 : 1 - work.usefulTokens / work.paddedTokens,
      forwardPasses: work.forwardPasses,
      msPerUsefulGflop: run.ms / (work.usefulFlops / 1e9),
      peakRssMb,
      rssBeforeCallMb: run.rss?.beforeMb ?? Number.NaN,
      callRssGrowthMb: run.rss ? run.rss.peakMb - run.rss.beforeMb : Number.NaN,
    };
  });
}

/** Median over the timed slots of baseline time / variant time for the same set in the same round. */
export function pairedSpeedup(baseline: readonly RawRun[], variant: readonly RawRun[]): number {
  return median(baseline.map((run, i) => run.ms / variant[i]!.ms));
}

export function ratiosOf(raw: RawBench, variants: readonly VariantSummary[]): Record<string, number> {
  const byId = new Map(variants.map((v) => [v.id, v]));
  const runs = new Map(raw.variants.map((v) => [v.id, v.runs]));
  const base = byId.get('baseline')!;
  const fp32 = byId.get('fp32')!;
  const ratios: Record<string, number> = {};
  for (const v of variants) {
    if (v.id === 'baseline') continue;
    ratios[`${v.id}ThroughputVsBaseline`] = v.pairsPerSecond / base.pairsPerSecond;
    ratios[`${v.id}PairedSpeedupVsBaseline`] = pairedSpeedup(runs.get('baseline')!, runs.get(v.id)!);
    if (v.id !== 'fp32') ratios[`${v.id}ThroughputVsFp32`] = v.pairsPerSecond / fp32.pairsPerSecond;
  }
  if (runs.has('q8-unfused')) ratios['q8PairedSpeedupVsUnfusedQ8'] = pairedSpeedup(runs.get('q8-unfused')!, runs.get('q8')!);
  ratios['fp32UsefulShareOfPeak'] = fp32.shareOfFp32Peak;
  ratios['baselineUsefulShareOfPeak'] = base.shareOfFp32Peak;
  return ratios;
}

export interface GoalThresholds {
  fp32Speedup: number;
  scoreTolerance: number;
  fp32ShareOfPeak: number;
  q8P50Ms: number;
  q8Top3Share: number;
  /** Largest / smallest ms per useful GFLOP across the scale runs. */
  scaleLinearity: number;
  /** How much more memory the largest scale call may add than the smallest one, in MB. */
  scaleCallRssMb: number;
}

export const GOALS: GoalThresholds = {
  fp32Speedup: 1.9,
  scoreTolerance: 1e-4,
  fp32ShareOfPeak: 0.9,
  q8P50Ms: 200,
  q8Top3Share: 0.95,
  scaleLinearity: 1.25,
  scaleCallRssMb: 16,
};

/** `responsive`: issue #21's figures (responsive-goals.ts); their goal rows follow the speed and scale ones. */
export function goalsOf(
  variants: readonly VariantSummary[],
  agreement: Agreement,
  scale: readonly ScaleRun[],
  ratios: Record<string, number>,
  responsive: Record<string, number> = {},
): Goal[] {
  const byId = new Map(variants.map((v) => [v.id, v]));
  const q8 = byId.get('q8')!;
  const fp32 = byId.get('fp32')!;
  const x = (n: number) => `${n.toFixed(2)}x`;
  const pct = (n: number) => `${(100 * n).toFixed(1)}%`;
  const goals: Goal[] = [
    { name: 'fp32 throughput vs baseline', target: `>= ${x(GOALS.fp32Speedup)}`, value: x(ratios['fp32ThroughputVsBaseline']!), met: ratios['fp32ThroughputVsBaseline']! >= GOALS.fp32Speedup },
    {
      name: 'fp32 scores equal baseline (pairs under the length limit)',
      target: `max |diff| <= ${GOALS.scoreTolerance}`,
      value: agreement.fp32VsBaseline.maxAbsScoreDiff.toExponential(1),
      met: agreement.comparedPairs > 0 && agreement.fp32VsBaseline.maxAbsScoreDiff <= GOALS.scoreTolerance,
    },
    { name: 'fp32 useful work vs measured fp32 peak', target: `>= ${pct(GOALS.fp32ShareOfPeak)}`, value: pct(fp32.shareOfFp32Peak), met: fp32.shareOfFp32Peak >= GOALS.fp32ShareOfPeak },
    { name: 'q8 p50 per query', target: `<= ${GOALS.q8P50Ms} ms`, value: `${q8.p50Ms.toFixed(0)} ms`, met: q8.p50Ms <= GOALS.q8P50Ms },
    { name: 'q8 same top 3 as fp32 (random weights: smoke check)', target: `>= ${pct(GOALS.q8Top3Share)} of queries`, value: pct(agreement.q8VsFp32.sameTop3Share), met: agreement.q8VsFp32.sameTop3Share >= GOALS.q8Top3Share },
  ];
  if (scale.length >= 2) {
    const small = scale[0]!;
    const large = scale.at(-1)!;
    const linearity = large.msPerUsefulGflop / small.msPerUsefulGflop;
    const extra = large.callRssGrowthMb - small.callRssGrowthMb;
    goals.push(
      { name: `scale ${small.candidates} -> ${large.candidates}: time per useful GFLOP`, target: `ratio <= ${GOALS.scaleLinearity}`, value: linearity.toFixed(2), met: linearity <= GOALS.scaleLinearity },
      {
        name: `scale ${small.candidates} -> ${large.candidates}: memory the call adds`,
        target: `<= ${small.callRssGrowthMb.toFixed(0)} + ${GOALS.scaleCallRssMb} MB`,
        value: `${large.callRssGrowthMb.toFixed(0)} MB`,
        met: extra <= GOALS.scaleCallRssMb,
      },
    );
  }
  goals.push(...responsiveGoals(responsive));
  return goals;
}
