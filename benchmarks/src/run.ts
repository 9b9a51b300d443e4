import type { BenchConfig } from './config.js';
import type { BatchShape, CallRss, WorkerSpec } from './protocol.js';
import { WorkerHandle } from './worker-handle.js';
import { scaleCandidates, type CandidateSet, type Workload } from './workload.js';

export interface RawRun {
  ms: number;
  top: number[];
  batches: BatchShape[];
  rss?: CallRss;
}

export interface RawVariant {
  id: string;
  label: string;
  dtype: 'fp32' | 'q8';
  loadMs: number;
  info: Record<string, unknown>;
  runs: RawRun[];
  peakRssMb: number;
  /** Untimed: every candidate's logit, per set (agreement checks). */
  logits: number[][];
}

export interface RawScale {
  candidates: number;
  dtype: 'fp32' | 'q8';
  run: RawRun;
  peakRssMb: number;
}

export interface RawBench {
  variants: RawVariant[];
  /** Baseline tokenizer's untruncated pair lengths, per set, and its limit. */
  pairLengths: number[][];
  maxLength: number;
  peak: { ms: number[]; flops: number };
  scale: RawScale[];
}

interface VariantPlan {
  id: string;
  label: string;
  dtype: 'fp32' | 'q8';
  spec: WorkerSpec;
}

export function q8Dir(config: BenchConfig): string {
  return config.q8Format === 'unfused' ? config.modelDir : config.fusedQ8Dir;
}

export function variantPlans(config: BenchConfig): VariantPlan[] {
  const encoder = (dtype: 'fp32' | 'q8', options: Record<string, unknown>, modelDir = dtype === 'q8' ? q8Dir(config) : config.modelDir): WorkerSpec => ({
    kind: 'crossencoder',
    modelDir,
    dtype,
    options,
  });
  const q8Label = config.q8Format === 'unfused' ? '(c) CrossEncoder q8, unfused int8 graph' : '(c) CrossEncoder q8';
  return [
    { id: 'baseline', label: '(a) transformers.js baseline, fp32', dtype: 'fp32', spec: { kind: 'baseline', modelDir: config.modelDir } },
    { id: 'fp32', label: '(b) CrossEncoder fp32', dtype: 'fp32', spec: encoder('fp32', config.engine) },
    { id: 'q8', label: q8Label, dtype: 'q8', spec: encoder('q8', config.engine) },
    ...(config.q8Format === 'both'
      ? [{ id: 'q8-unfused', label: "(c') CrossEncoder q8, unfused int8 graph", dtype: 'q8' as const, spec: encoder('q8', config.engine, config.modelDir) }]
      : []),
    ...config.extras.map((extra) => ({ id: extra.label, label: `${extra.label} (CrossEncoder ${extra.dtype})`, dtype: extra.dtype, spec: encoder(extra.dtype, { ...config.engine, ...extra.options }) })),
  ];
}

/**
 * Runs every variant in its own worker process: loads them one after another (clean load times),
 * checks their scores agree, then times each candidate set on a, b, c (and extras), then the peak
 * MatMul, in turn, round after round, so drift on this shared machine hits all of them alike.
 */
export async function runBench(config: BenchConfig, workload: Workload, log: (line: string) => void): Promise<RawBench> {
  const sets = workload.sets;
  const plans = variantPlans(config);
  const workers: WorkerHandle[] = [];
  try {
    const variants: RawVariant[] = [];
    for (const plan of plans) {
      const worker = new WorkerHandle(plan.id, config.workerPath);
      workers.push(worker);
      const ready = await worker.init(plan.spec);
      log(`loaded ${plan.label} in ${ready.loadMs.toFixed(0)} ms`);
      variants.push({ id: plan.id, label: plan.label, dtype: plan.dtype, loadMs: ready.loadMs, info: ready.info, runs: [], peakRssMb: 0, logits: [] });
    }
    const peakWorker = new WorkerHandle('peak', config.workerPath);
    workers.push(peakWorker);
    await peakWorker.init({ kind: 'peak', size: config.peakSize, threads: config.threads, repeats: config.peakRepeats });

    const first = sets[0]!;
    for (const worker of workers.slice(0, plans.length)) await worker.request({ type: 'run', set: first, topN: config.topN }, 'ran');

    // Agreement needs a, b, c (and c'); extras are there to compare speed.
    const scored = plans.filter((p) => ['baseline', 'fp32', 'q8', 'q8-unfused'].includes(p.id)).length;
    const pairLengths: number[][] = [];
    for (const set of sets) {
      for (const [i, worker] of workers.slice(0, scored).entries()) {
        const answer = await worker.request({ type: 'logits', set }, 'logits');
        variants[i]!.logits.push(answer.logits);
        if (i === 0) pairLengths.push(answer.pairLengths ?? []);
      }
    }
    log(`scores collected for ${sets.length} sets; timing ${config.rounds} round(s)`);

    const peak = { ms: [] as number[], flops: 0 };
    for (let round = 0; round < config.rounds; round++) {
      for (const set of sets) {
        for (const [i, worker] of workers.slice(0, plans.length).entries()) {
          await settle();
          const { ms, top, batches } = await worker.request({ type: 'run', set, topN: config.topN }, 'ran');
          variants[i]!.runs.push({ ms, top, batches });
        }
        await settle();
        const measured = await peakWorker.request({ type: 'run', topN: 0 }, 'ran');
        peak.ms.push(measured.ms);
        peak.flops = measured.flops ?? 0;
      }
      log(`round ${round + 1}/${config.rounds} done`);
    }
    for (const [i, worker] of workers.slice(0, plans.length).entries()) variants[i]!.peakRssMb = await worker.finish();
    await peakWorker.finish();

    const scale: RawScale[] = [];
    for (const candidates of config.scale) {
      scale.push(await runScale(config, first, workload.pool, candidates));
      log(`scale: ${candidates} candidates in ${scale.at(-1)!.run.ms.toFixed(0)} ms, peak RSS ${scale.at(-1)!.peakRssMb.toFixed(0)} MB`);
    }
    const maxLength = Number((variants[0]!.info as { maxLength?: number }).maxLength ?? 512);
    return { variants, pairLengths, maxLength, peak, scale };
  } finally {
    for (const worker of workers) worker.kill();
  }
}

/**
 * A pause between timed runs: ONNX Runtime threads of the process that just ran may still spin (the
 * baseline and the peak probe keep the default, spinning, thread pool); they must not eat into the
 * next one's time. Measured here after a MiniLM forward pass: the process keeps burning about a core
 * for 25-30 ms (CPU per 10 ms window: 12, 12, 6, then 0.2), so 20 ms was too short.
 */
const SETTLE_MS = 50;

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** One query with `candidates` candidates, in a fresh process, so its peak RSS is its own. */
async function runScale(config: BenchConfig, first: CandidateSet, pool: readonly string[], candidates: number): Promise<RawScale> {
  const worker = new WorkerHandle(`scale-${candidates}`, config.workerPath);
  try {
    const modelDir = config.scaleDtype === 'q8' ? q8Dir(config) : config.modelDir;
    await worker.init({ kind: 'crossencoder', modelDir, dtype: config.scaleDtype, options: config.engine });
    await worker.request({ type: 'run', set: first, topN: config.topN }, 'ran');
    const set = { id: `scale-${candidates}`, query: first.query, docs: scaleCandidates(pool, candidates) };
    const { ms, top, batches, rss } = await worker.request({ type: 'run', set, topN: config.topN }, 'ran');
    const peakRssMb = await worker.finish();
    return { candidates, dtype: config.scaleDtype, run: { ms, top, batches, ...(rss ? { rss } : {}) }, peakRssMb };
  } finally {
    worker.kill();
  }
}
