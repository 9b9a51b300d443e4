import type { EncodedPair } from '../pair-encoder.js';
import type { PackedBatch } from '../worker/packed-batch.js';

/**
 * Pads `pairs` on the left to `paddedLength` with `padId` (mask 0), as sentence-transformers pads a
 * causal-LM reranker's batch (`padding_side = "left"`): every row's last real token sits at the
 * last position, where the score is read.
 */
export function packLeftPadded(pairs: readonly EncodedPair[], paddedLength: number, padId: number): PackedBatch {
  const rows = pairs.length;
  const inputIds = new BigInt64Array(rows * paddedLength);
  const attentionMask = new BigInt64Array(rows * paddedLength);
  // int64 written through an int32 view (little-endian low words): no BigInt per token.
  const ids32 = new Int32Array(inputIds.buffer);
  const mask32 = new Int32Array(attentionMask.buffer);
  for (let row = 0; row < rows; row++) {
    const ids = pairs[row]!.inputIds;
    const pad = paddedLength - ids.length;
    const base = row * paddedLength;
    for (let t = 0; t < paddedLength; t++) {
      const at = 2 * (base + t);
      if (t < pad) {
        ids32[at] = padId;
      } else {
        ids32[at] = ids[t - pad]!;
        mask32[at] = 1;
      }
    }
  }
  return { rows, length: paddedLength, inputIds, attentionMask };
}
