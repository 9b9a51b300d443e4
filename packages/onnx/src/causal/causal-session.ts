import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelFormatError } from '../errors.js';
import type { PackedBatch } from '../worker/packed-batch.js';

/** How a causal LM's logits become a score (sentence-transformers' `LogitScore`). */
export interface LogitScoring {
  trueTokenId: number;
  /** null: the score is `logit[true]` alone. */
  falseTokenId: number | null;
}

/** The key/value cache shape, for graphs whose past inputs do not say it (from config.json). */
export interface KvShape {
  heads: number | undefined;
  headDim: number | undefined;
}

interface InputInfo {
  name: string;
  type: string;
  shape: ReadonlyArray<number | string>;
}

const PAST_INPUT = /^past_key_values\.\d+\.(key|value)$/;

/**
 * The ONNX session of a causal LM read as a yes/no judge. Takes left-padded batches and returns
 * one raw score per row: `logit[true] - logit[false]` (or `logit[true]`) at the last position.
 *
 * Works with the hub's decoder exports (inputs `input_ids`, `attention_mask`, `position_ids`,
 * `past_key_values.N.key/value`; outputs `logits` and `present.*`), whose past inputs are fed
 * empty (past length 0), and with graphs without past inputs or position ids. `logits` may be
 * [batch, seq, vocab] or already the last position's [batch, vocab].
 */
export class CausalLmSession {
  readonly wantsTokenTypes = false;
  readonly numLogits = 1;
  private readonly session: InferenceSession;
  private readonly scoring: LogitScoring;
  private readonly past: InputInfo[];
  private readonly wantsPositions: boolean;
  private readonly kv: KvShape;
  /** onnxruntime-node's `Tensor`, from the copy the session came from (loaded lazily, see runtime-modules.ts). */
  private readonly Tensor: typeof Tensor;

  constructor(session: InferenceSession, tensor: typeof Tensor, scoring: LogitScoring, kv: KvShape) {
    this.session = session;
    this.Tensor = tensor;
    this.scoring = scoring;
    this.kv = kv;
    for (const name of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(name)) {
        throw new ModelFormatError(
          `The ONNX model has no "${name}" input (inputs: ${session.inputNames.join(', ')}). A causal-LM export takes input_ids and attention_mask.`,
        );
      }
    }
    if (!session.outputNames.includes('logits')) {
      throw new ModelFormatError(`The ONNX model has no "logits" output (outputs: ${session.outputNames.join(', ')}). Export it with the text-generation task.`);
    }
    const metadata = inputInfo(session);
    this.past = metadata.filter((input) => PAST_INPUT.test(input.name));
    const unknown = session.inputNames.filter((name) => !['input_ids', 'attention_mask', 'position_ids'].includes(name) && !PAST_INPUT.test(name));
    if (unknown.length > 0) {
      throw new ModelFormatError(`The ONNX model takes inputs crossrank cannot feed: ${unknown.join(', ')}. Export it with the text-generation task (optimum).`);
    }
    this.wantsPositions = session.inputNames.includes('position_ids');
  }

  async scorePacked(batch: PackedBatch): Promise<Float32Array> {
    const dims = [batch.rows, batch.length];
    const feeds: Record<string, Tensor> = {
      input_ids: new this.Tensor('int64', batch.inputIds, dims),
      attention_mask: new this.Tensor('int64', batch.attentionMask, dims),
    };
    if (this.wantsPositions) feeds['position_ids'] = new this.Tensor('int64', positionIds(batch), dims);
    for (const input of this.past) feeds[input.name] = this.emptyPast(input, batch.rows);

    const outputs = await this.session.run(feeds, ['logits']);
    const logits = outputs['logits']!;
    try {
      return this.read(logits, batch);
    } finally {
      logits.dispose?.();
    }
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private read(logits: Tensor, batch: PackedBatch): Float32Array {
    const last = logits.dims.length === 2;
    const vocab = logits.dims.at(-1)!;
    if (
      logits.type !== 'float32' ||
      (logits.dims.length !== 3 && !last) ||
      logits.dims[0] !== batch.rows ||
      (!last && logits.dims[1] !== batch.length)
    ) {
      throw new ModelFormatError(
        `The ONNX model's "logits" output is ${logits.type} [${logits.dims.join(', ')}] for a batch of ${batch.rows} x ${batch.length}; ` +
          'a causal LM must return float32 [batch, sequence, vocabulary] (or [batch, vocabulary] for the last position).',
      );
    }
    const { trueTokenId, falseTokenId } = this.scoring;
    if (trueTokenId >= vocab || (falseTokenId !== null && falseTokenId >= vocab)) {
      throw new ModelFormatError(`The true/false token ids (${trueTokenId}, ${falseTokenId}) are outside the model's vocabulary of ${vocab}.`);
    }
    const data = logits.data as Float32Array;
    const rowSize = last ? vocab : batch.length * vocab;
    const scores = new Float32Array(batch.rows);
    for (let row = 0; row < batch.rows; row++) {
      // Left padding: every row ends at the last position.
      const base = row * rowSize + (last ? 0 : (batch.length - 1) * vocab);
      scores[row] = data[base + trueTokenId]! - (falseTokenId === null ? 0 : data[base + falseTokenId]!);
    }
    return scores;
  }

  /** A past key or value with past length 0: [batch, heads, 0, head dim] from the graph, else from config.json. */
  private emptyPast(input: InputInfo, rows: number): Tensor {
    const shape = input.shape.length === 4 ? input.shape : ['batch', this.kv.heads ?? 'heads', 'past', this.kv.headDim ?? 'head_dim'];
    const dims = shape.map((d, axis) => (axis === 0 ? rows : axis === 2 ? 0 : d));
    const fixed = dims.map((d, axis) => (typeof d === 'number' ? d : axis === 1 ? this.kv.heads : this.kv.headDim));
    if (fixed.some((d) => d === undefined)) {
      throw new ModelFormatError(`The ONNX model's ${input.name} has no fixed shape, and config.json gives no num_key_value_heads / head_dim to fill it.`);
    }
    const type = input.type === 'float16' ? 'float16' : 'float32';
    return new this.Tensor(type, type === 'float16' ? new Uint16Array(0) : new Float32Array(0), fixed as number[]);
  }
}

/**
 * Position ids counted from each row's first real token (0, 1, 2, ...), as `generate` computes them
 * for a left-padded batch (`attention_mask.cumsum(-1) - 1`, pads set to 1). Rotary attention depends
 * only on differences of positions, so this matches an unpadded run of each row.
 */
export function positionIds(batch: PackedBatch): BigInt64Array {
  const out = new BigInt64Array(batch.rows * batch.length);
  const out32 = new Int32Array(out.buffer);
  const mask32 = new Int32Array(batch.attentionMask.buffer, batch.attentionMask.byteOffset, batch.attentionMask.length * 2);
  for (let row = 0; row < batch.rows; row++) {
    let seen = 0;
    for (let t = 0; t < batch.length; t++) {
      const at = row * batch.length + t;
      if (mask32[2 * at] !== 0) out32[2 * at] = seen++;
      else out32[2 * at] = 1;
    }
  }
  return out;
}

function inputInfo(session: InferenceSession): InputInfo[] {
  const metadata = (session as unknown as { inputMetadata?: ReadonlyArray<{ name: string; isTensor?: boolean; type?: string; shape?: ReadonlyArray<number | string> }> }).inputMetadata;
  return session.inputNames.map((name, i) => {
    const m = metadata?.[i];
    return { name, type: m?.type ?? 'float32', shape: m?.shape ?? [] };
  });
}
