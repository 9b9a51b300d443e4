import type { Tensor } from 'onnxruntime-node';
import { ModelFormatError } from './errors.js';
import type { LoadedClassifier } from './model-loader.js';
import type { EncodedPair } from './pair-encoder.js';
import { packBatch, type PackedBatch } from './worker/packed-batch.js';

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
  private readonly model: LoadedClassifier;
  /** onnxruntime-node's `Tensor`, taken from the loaded model so this module does not import ONNX Runtime. */
  private readonly Tensor: typeof Tensor;
  /** Whether the graph has a `token_type_ids` input. */
  readonly wantsTokenTypes: boolean;
  private readonly outputName: string;
  private readonly padId: number;
  /** 1 or 2, learned from the first forward pass. */
  numLogits: number | undefined;

  constructor(model: LoadedClassifier, padId: number) {
    this.model = model;
    this.Tensor = model.Tensor;
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
    const scores = await this.scorePacked(packBatch(pairs, paddedLength, this.padId, this.wantsTokenTypes));
    scores.forEach((score, row) => (out[targets[row]!] = score));
  }

  /** One raw score per row of an already padded batch (see `run`). */
  async scorePacked(batch: PackedBatch): Promise<Float32Array> {
    const dims = [batch.rows, batch.length];
    const Tensor = this.Tensor;
    const feeds: Record<string, unknown> = {
      input_ids: new Tensor('int64', batch.inputIds, dims),
      attention_mask: new Tensor('int64', batch.attentionMask, dims),
    };
    if (this.wantsTokenTypes) {
      if (!batch.tokenTypeIds) throw new ModelFormatError('The ONNX model takes token_type_ids, but the batch has none.');
      feeds['token_type_ids'] = new Tensor('int64', batch.tokenTypeIds, dims);
    }

    const outputs = await this.session.run(feeds);
    const logits = outputs[this.outputName];
    if (!logits) throw new ModelFormatError(`The ONNX model returned no "${this.outputName}" output.`);
    const width = this.checkShape(logits, batch.rows);
    const data = logits.data;
    const scores = new Float32Array(batch.rows);
    for (let row = 0; row < batch.rows; row++) {
      scores[row] = width === 1 ? data[row]! : data[row * 2 + 1]! - data[row * 2]!;
    }
    return scores;
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
