import { Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { ModelFormatError } from './errors.js';
import type { EncodedPair } from './pair-encoder.js';

interface OrtTensorLike {
  dims: readonly number[];
  data: ArrayLike<number>;
  type: string;
}

interface OrtSessionLike {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensorLike>>;
  release?: () => Promise<void>;
}

/**
 * The ONNX session of a sequence classifier, fed directly (no pipeline): builds the padded
 * int64 inputs for a batch of encoded pairs and returns one raw score per pair.
 */
export class ClassifierSession {
  private readonly session: OrtSessionLike;
  private readonly model: PreTrainedModel;
  private readonly wantsTokenTypes: boolean;
  private readonly outputName: string;
  private readonly padId: number;
  /** 1 or 2, learned from the first forward pass. */
  numLogits: number | undefined;

  constructor(model: PreTrainedModel, padId: number) {
    this.model = model;
    const sessions = (model as unknown as { sessions: Record<string, OrtSessionLike> }).sessions;
    const session = sessions['model'] ?? Object.values(sessions)[0];
    if (!session) throw new ModelFormatError('The model has no ONNX session to run.');
    this.session = session;
    for (const name of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(name)) {
        throw new ModelFormatError(
          `The ONNX model has no "${name}" input (inputs: ${session.inputNames.join(', ')}). A cross-encoder export takes input_ids and attention_mask.`,
        );
      }
    }
    this.wantsTokenTypes = session.inputNames.includes('token_type_ids');
    this.outputName = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0]!;
    this.padId = padId;
  }

  /**
   * Scores `pairs` (all padded to `paddedLength`) and writes, for pair k, the raw score to
   * `out[targets[k]]`: the logit of a single-logit head, or positive minus negative for two logits.
   */
  async run(pairs: readonly EncodedPair[], paddedLength: number, out: Float32Array, targets: readonly number[]): Promise<void> {
    const batch = pairs.length;
    const size = batch * paddedLength;
    // int64 inputs written through an int32 view (little-endian low words): no BigInt per token.
    const ids = new BigInt64Array(size);
    const mask = new BigInt64Array(size);
    const ids32 = new Int32Array(ids.buffer);
    const mask32 = new Int32Array(mask.buffer);
    const types = this.wantsTokenTypes ? new BigInt64Array(size) : undefined;
    const types32 = types ? new Int32Array(types.buffer) : undefined;
    for (let row = 0; row < batch; row++) {
      const pair = pairs[row]!;
      const base = row * paddedLength;
      const n = pair.inputIds.length;
      for (let t = 0; t < paddedLength; t++) {
        const at = 2 * (base + t);
        if (t < n) {
          ids32[at] = pair.inputIds[t]!;
          mask32[at] = 1;
          if (types32) types32[at] = pair.tokenTypeIds[t]!;
        } else {
          ids32[at] = this.padId;
        }
      }
    }
    const dims = [batch, paddedLength];
    const feeds: Record<string, unknown> = {
      input_ids: new Tensor('int64', ids, dims).ort_tensor,
      attention_mask: new Tensor('int64', mask, dims).ort_tensor,
    };
    if (types) feeds['token_type_ids'] = new Tensor('int64', types, dims).ort_tensor;

    const outputs = await this.session.run(feeds);
    const logits = outputs[this.outputName];
    if (!logits) throw new ModelFormatError(`The ONNX model returned no "${this.outputName}" output.`);
    const width = this.checkShape(logits, batch);
    const data = logits.data;
    for (let row = 0; row < batch; row++) {
      out[targets[row]!] = width === 1 ? data[row]! : data[row * 2 + 1]! - data[row * 2]!;
    }
  }

  private checkShape(logits: OrtTensorLike, batch: number): number {
    const [rows, width] = logits.dims;
    if (logits.dims.length !== 2 || rows !== batch || (width !== 1 && width !== 2) || logits.type !== 'float32') {
      throw new ModelFormatError(
        `The ONNX model's "${this.outputName}" output is ${logits.type} [${logits.dims.join(', ')}] for a batch of ${batch}; ` +
          'a cross-encoder must return float32 [batch, 1] (one relevance logit) or [batch, 2] (negative, positive).',
      );
    }
    this.numLogits = width;
    return width;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
