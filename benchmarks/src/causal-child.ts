// One dtype of the causal-LM scenario (`pnpm bench --only causal`) in its own process, so its load
// time and peak RSS (model, worker threads and full-vocabulary logits) are its own. The parent sends
// one `CausalChildSpec`; the child loads, reranks every set once and answers one `CausalChildResult`.
import { CrossEncoder } from '@crossrank/onnx';
import type { CandidateSet } from './workload.js';

export interface CausalChildSpec {
  modelDir: string;
  dtype: 'fp32' | 'q8';
  /** Load this ONNX file instead of the dtype's (its name says its dtype). */
  modelFile?: string;
  /** CrossEncoder.load options besides dtype: empty for the engine's defaults. */
  options: Record<string, unknown>;
  sets: CandidateSet[];
  topN: number;
}

export type CausalChildResult =
  | {
      type: 'result';
      loadMs: number;
      /** What the engine chose: workers, threads, batchSize, maxBatchTokens, maxLength, modelFile. */
      info: Record<string, unknown>;
      /** Wall time of each set's `rerank`, in order. */
      queryMs: number[];
      /** Resident memory once loaded, and the process's peak (maxRSS) after the last query. */
      rssAfterLoadMb: number;
      peakRssMb: number;
    }
  | { type: 'failed'; message: string };

const log = (line: string) => process.stderr.write(`[causal ${line}]\n`);

async function run(spec: CausalChildSpec): Promise<CausalChildResult> {
  const started = performance.now();
  const encoder = await CrossEncoder.load(spec.modelDir, { ...spec.options, ...(spec.modelFile ? { modelFile: spec.modelFile } : { dtype: spec.dtype }) });
  const loadMs = performance.now() - started;
  const rssAfterLoadMb = process.memoryUsage().rss / 2 ** 20;
  const { model: _model, config: _config, causal: _causal, ...info } = encoder.info;
  log(`${spec.modelFile ?? spec.dtype}: loaded in ${(loadMs / 1000).toFixed(1)} s (${info.workers} workers x ${info.threads} threads, RSS ${rssAfterLoadMb.toFixed(0)} MB)`);
  const queryMs: number[] = [];
  try {
    for (const [i, set] of spec.sets.entries()) {
      const t0 = performance.now();
      await encoder.rerank(set.query, set.docs, { topN: spec.topN });
      queryMs.push(performance.now() - t0);
      log(`${spec.modelFile ?? spec.dtype}: query ${i + 1}/${spec.sets.length} (${set.docs.length} candidates) ${(queryMs.at(-1)! / 1000).toFixed(2)} s`);
    }
  } finally {
    await encoder.dispose();
  }
  // maxRSS is in kilobytes on Linux and macOS; it covers the worker threads (one process).
  return { type: 'result', loadMs, info, queryMs, rssAfterLoadMb, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

process.once('message', (spec: CausalChildSpec) => {
  run(spec)
    .catch((error: unknown): CausalChildResult => ({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    .then((result) => process.send!(result, () => process.disconnect()));
});
