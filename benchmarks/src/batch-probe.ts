import type { BatchShape } from './protocol.js';
import type { OrtModule, OrtTensor } from './ort.js';

/**
 * Records the shape of every ONNX Runtime forward pass in this process (all scorers go through
 * `InferenceSession.run`), so padding and useful work are counted the same way for the baseline
 * and for CrossEncoder, without reaching into either. Costs microseconds per pass.
 */
export class BatchProbe {
  private batches: BatchShape[] = [];

  constructor(ort: OrtModule) {
    const original = ort.InferenceSession.prototype.run;
    const probe = this;
    ort.InferenceSession.prototype.run = function (this: unknown, ...args: unknown[]) {
      const feeds = args[0] as Record<string, OrtTensor | undefined> | undefined;
      const mask = feeds?.['attention_mask'];
      if (mask && mask.dims.length === 2) probe.batches.push(shapeOf(mask));
      return original.apply(this, args);
    };
  }

  /** The passes since the last call. */
  take(): BatchShape[] {
    const taken = this.batches;
    this.batches = [];
    return taken;
  }
}

function shapeOf(mask: OrtTensor): BatchShape {
  const [rows, paddedLength] = mask.dims as [number, number];
  const { data } = mask;
  const lengths = new Array<number>(rows).fill(0);
  // int64 masks are read through their low 32-bit words (little-endian), like the engine writes them.
  const words = mask.type === 'int64' ? new Int32Array(data.buffer, data.byteOffset, data.byteLength / 4) : undefined;
  for (let r = 0; r < rows; r++) {
    let n = 0;
    for (let t = 0; t < paddedLength; t++) {
      const at = r * paddedLength + t;
      if (words ? words[2 * at] !== 0 : Number(data[at]) !== 0) n++;
    }
    lengths[r] = n;
  }
  return { rows, paddedLength, lengths };
}
