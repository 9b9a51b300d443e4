import type { CandidateSet } from './workload.js';

/** What a worker process runs: one scorer (or the MatMul peak probe), loaded once, timed many times. */
export type WorkerSpec =
  | { kind: 'baseline'; modelDir: string }
  | { kind: 'crossencoder'; modelDir: string; dtype: 'fp32' | 'q8'; options: Record<string, unknown> }
  | { kind: 'peak'; size: number; threads: number; repeats: number };

/** One ONNX Runtime forward pass as the worker saw it: its padded shape and each row's real length. */
export interface BatchShape {
  rows: number;
  paddedLength: number;
  lengths: number[];
}

/** Resident memory around one timed call: just before it (inputs loaded) and its sampled peak. */
export interface CallRss {
  beforeMb: number;
  peakMb: number;
}

export type ToWorker =
  | { type: 'init'; spec: WorkerSpec }
  | { type: 'run'; set?: CandidateSet; topN: number }
  | { type: 'logits'; set: CandidateSet }
  | { type: 'exit' };

export type FromWorker =
  | { type: 'ready'; loadMs: number; info: Record<string, unknown> }
  | { type: 'ran'; ms: number; top: number[]; batches: BatchShape[]; flops?: number; rss?: CallRss }
  | { type: 'logits'; logits: number[]; pairLengths?: number[] }
  | { type: 'final'; maxRssKb: number }
  | { type: 'failed'; message: string };
