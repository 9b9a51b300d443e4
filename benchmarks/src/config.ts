/** A CrossEncoder variant added to the rotation next to (b) and (c), to A/B engine options in one run. */
export interface ExtraVariant {
  label: string;
  dtype: 'fp32' | 'q8';
  options: Record<string, unknown>;
}

export interface BenchConfig {
  mode: 'full' | 'quick';
  /** `miniLM`: the ms-marco-MiniLM-L-6-v2 shape; `tiny`: the 2-layer test shape (smoke runs). */
  shape: 'miniLM' | 'tiny';
  modelDir: string;
  /**
   * The int8 graph (c) loads: `fused` (QAttention, SkipLayerNormalization) or `unfused`
   * (createTestCrossEncoder's default); `both` also times the unfused one as (c').
   */
  q8Format: 'fused' | 'unfused' | 'both';
  /** Folder holding the fused q8 model (set once it is prepared). */
  fusedQ8Dir: string;
  dataDir: string;
  data: 'auto' | 'dl19' | 'generated';
  /** How many candidate sets (queries) to time; all of them when undefined. */
  queries: number | undefined;
  candidates: number;
  topN: number;
  rounds: number;
  /** Candidate counts for the one-query scale runs (each in a fresh process). */
  scale: number[];
  scaleDtype: 'fp32' | 'q8';
  /** Side of the square fp32 MatMul that measures the machine's peak. */
  peakSize: number;
  peakRepeats: number;
  /** Intra-op threads of the peak MatMul: the cores CrossEncoder uses by default. */
  threads: number;
  /** Extra CrossEncoder.load options for (b) and (c); empty means the engine's defaults. */
  engine: Record<string, unknown>;
  extras: ExtraVariant[];
  out: string;
  workerPath: string;
  /** The child script of the event-loop and server scenarios. */
  servePath: string;
  /** Seconds per event-loop run and per server concurrency level; 0 skips both scenarios and the load/memory rows. */
  responsivenessSeconds: number;
  concurrencies: number[];
  /**
   * `serve`: run only the `crossrank serve` scenario. `responsiveness`: only the event-loop, server,
   * load-gap and peak-RSS rows (issue #21), `runs` times. `causal`: only the causal-LM reranker
   * scenario (causal-scenario.ts).
   */
  only: 'serve' | 'responsiveness' | 'causal' | undefined;
  /** Repeats of `--only responsiveness` (1 otherwise). */
  runs: number;
  /** The child script of the load and memory rows. */
  probePath: string;
  /** Where generated models are kept (git-ignored benchmarks/.cache/models). */
  modelsCache: string;
}
