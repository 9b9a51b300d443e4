import { CrossEncoder } from '@crossrank/onnx';
import { AutoModelForSequenceClassification, AutoTokenizer, env } from '@huggingface/transformers';
import { topIndexes } from './top.js';
import type { CandidateSet } from './workload.js';

/** A way of scoring one query's candidates: what one benchmark variant times. */
export interface Scorer {
  info: Record<string, unknown>;
  /** The timed call: the indexes of the best `topN` candidates, best first. */
  top(set: CandidateSet, topN: number): Promise<number[]>;
  /** Untimed: every candidate's raw logit, in input order (for the agreement checks). */
  logits(set: CandidateSet): Promise<number[]>;
  /** Untimed, baseline only: each pair's token count before truncation. */
  pairLengths?(set: CandidateSet): number[];
}

type Tokenizer = Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
type Model = Awaited<ReturnType<typeof AutoModelForSequenceClassification.from_pretrained>>;

/**
 * (a) The code people write with transformers.js today: tokenize all pairs at once, padded to the
 * longest and truncated by the tokenizer, one forward pass, default session options.
 */
export async function loadBaseline(modelDir: string): Promise<Scorer> {
  const tokenizer: Tokenizer = await AutoTokenizer.from_pretrained(modelDir);
  const model: Model = await AutoModelForSequenceClassification.from_pretrained(modelDir, { dtype: 'fp32' });
  const forward = async (set: CandidateSet): Promise<Float32Array> => {
    const inputs = tokenizer(
      set.docs.map(() => set.query),
      { text_pair: set.docs, padding: true, truncation: true },
    );
    const { logits } = (await model(inputs)) as { logits: { data: Float32Array; dims: number[] } };
    const width = logits.dims[1] ?? 1;
    // Two-logit heads: positive minus negative, as CrossEncoder reports them.
    return width === 1 ? logits.data : Float32Array.from(set.docs, (_, i) => logits.data[2 * i + 1]! - logits.data[2 * i]!);
  };
  const maxLength = (tokenizer as unknown as { model_max_length?: number }).model_max_length;
  return {
    info: { library: `@huggingface/transformers ${env.version}`, maxLength },
    top: async (set, topN) => topIndexes(await forward(set), topN),
    logits: async (set) => Array.from(await forward(set)),
    pairLengths: (set) =>
      set.docs.map((doc) => (tokenizer(set.query, { text_pair: doc, truncation: false }) as { input_ids: { dims: number[] } }).input_ids.dims.at(-1)!),
  };
}

/**
 * (b), (c): `CrossEncoder.rerank(query, docs, { topN })` with the engine's defaults, except that
 * forward passes run in the calling thread (`workers: 0`) unless `options` say otherwise: the harness
 * counts padded tokens and FLOPs from the ONNX Runtime calls it sees in this process, and the batches
 * are the same in both modes. Worker threads are measured by the event-loop and server scenarios.
 */
export async function loadCrossEncoder(modelDir: string, dtype: 'fp32' | 'q8', options: Record<string, unknown>): Promise<Scorer> {
  return crossEncoderScorer(await CrossEncoder.load(modelDir, { workers: 0, ...options, dtype }), options);
}

/** `CrossEncoder.load(modelDir, { dtype })`: the engine's own defaults, `workers` included (issue #21's rows). */
export async function loadDefaultCrossEncoder(modelDir: string, dtype: 'fp32' | 'q8'): Promise<Scorer> {
  return crossEncoderScorer(await CrossEncoder.load(modelDir, { dtype }), {});
}

function crossEncoderScorer(encoder: CrossEncoder, options: Record<string, unknown>): Scorer {
  const { config: _config, ...info } = encoder.info;
  return {
    info: { ...info, options },
    top: async (set, topN) => (await encoder.rerank(set.query, set.docs, { topN })).map((r) => r.index),
    logits: async (set) => Array.from(await encoder.predict(set.docs.map((doc) => [set.query, doc] as const))),
  };
}
