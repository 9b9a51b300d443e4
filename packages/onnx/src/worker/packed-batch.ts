import type { EncodedPair } from '../pair-encoder.js';

/**
 * One forward pass's int64 inputs, padded to `length`: built on the calling thread and moved (not
 * copied) to the thread that runs it, which wraps the same buffers in ONNX Runtime tensors.
 */
export interface PackedBatch {
  rows: number;
  length: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** Only for models with a `token_type_ids` input. */
  tokenTypeIds?: BigInt64Array;
}

/** Pads `pairs` to `paddedLength` with `padId` (mask 0) into row-major int64 arrays. */
export function packBatch(pairs: readonly EncodedPair[], paddedLength: number, padId: number, withTokenTypes: boolean): PackedBatch {
  const rows = pairs.length;
  const size = rows * paddedLength;
  const inputIds = new BigInt64Array(size);
  const attentionMask = new BigInt64Array(size);
  // int64 inputs written through an int32 view (little-endian low words): no BigInt per token.
  const ids32 = new Int32Array(inputIds.buffer);
  const mask32 = new Int32Array(attentionMask.buffer);
  const tokenTypeIds = withTokenTypes ? new BigInt64Array(size) : undefined;
  const types32 = tokenTypeIds ? new Int32Array(tokenTypeIds.buffer) : undefined;
  for (let row = 0; row < rows; row++) {
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
        ids32[at] = padId;
      }
    }
  }
  return { rows, length: paddedLength, inputIds, attentionMask, ...(tokenTypeIds ? { tokenTypeIds } : {}) };
}

/** The buffers to list in `postMessage`'s transfer list. */
export function batchBuffers(batch: PackedBatch): ArrayBuffer[] {
  const buffers = [batch.inputIds.buffer, batch.attentionMask.buffer];
  if (batch.tokenTypeIds) buffers.push(batch.tokenTypeIds.buffer);
  return buffers as ArrayBuffer[];
}
