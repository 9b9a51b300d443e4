// One row of the load and memory table (issue #21), in a fresh process forked for it alone, so no
// earlier model, allocator high-water mark or warm cache leaks into its figures: a heartbeat runs
// while `CrossEncoder.load` does (the largest event-loop gap while loading), then one rerank of a
// 20-candidate set (the first call's latency, and proof the tokenizer tokenizes), then the process's
// peak resident memory. It prints one JSON line and exits. Public API only (load, rerank, info).
import { CrossEncoder } from '@crossrank/onnx';
import { peakRss, withHeartbeat } from './heartbeat.js';
import type { CandidateSet } from './workload.js';

export interface ProbeSpec {
  modelDir: string;
  dtype: 'fp32' | 'q8';
  /** `default`: no `workers` option, whatever the engine picks; `0`: forward passes in this thread. */
  workers: 'default' | 0;
  heartbeatMs: number;
  set: CandidateSet;
  topN: number;
}

export interface ProbeResult {
  loadMs: number;
  /** Longest interval between heartbeat ticks while loading, minus the heartbeat period. */
  loadGapMs: number;
  /** The first rerank after load, of `set`. */
  firstRerankMs: number;
  peakRssMb: number;
  /** Where `peakRssMb` came from: VmHWM of /proc/self/status, or resourceUsage().maxRSS off Linux. */
  rssSource: 'VmHWM' | 'maxRSS';
  /** `info.workers` and `info.threads` of the loaded encoder: what the options resolved to. */
  workers: number;
  threads: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as ProbeSpec;
  const options = spec.workers === 'default' ? { dtype: spec.dtype } : { dtype: spec.dtype, workers: spec.workers };
  const started = performance.now();
  let loadMs = 0;
  const { value: encoder, gapMs } = await withHeartbeat(spec.heartbeatMs, async () => {
    const loaded = await CrossEncoder.load(spec.modelDir, options);
    loadMs = performance.now() - started;
    return loaded;
  });
  const t = performance.now();
  await encoder.rerank(spec.set.query, spec.set.docs, { topN: spec.topN });
  const firstRerankMs = performance.now() - t;
  const rss = peakRss();
  const result: ProbeResult = {
    loadMs,
    loadGapMs: gapMs,
    firstRerankMs,
    peakRssMb: rss.mb,
    rssSource: rss.source,
    workers: encoder.info.workers,
    threads: encoder.info.threads,
  };
  await encoder.dispose();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
