/** A forward pass: which pairs (positions in the chunk) go in, and the padded length. */
export interface PlannedBatch {
  members: number[];
  paddedLength: number;
}

/**
 * Groups pairs of similar length so little compute goes to padding: sort by length (longest first,
 * ties by position, so the plan is deterministic), then fill each batch up to `batchSize` pairs and
 * `maxBatchTokens` padded tokens.
 */
export function planBatches(lengths: ArrayLike<number>, batchSize: number, maxBatchTokens: number): PlannedBatch[] {
  const order = Array.from({ length: lengths.length }, (_, i) => i);
  order.sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const batches: PlannedBatch[] = [];
  let current: PlannedBatch | undefined;
  for (const i of order) {
    const length = lengths[i]!;
    if (
      current &&
      current.members.length < batchSize &&
      (current.members.length + 1) * current.paddedLength <= maxBatchTokens
    ) {
      current.members.push(i);
      continue;
    }
    // A single pair longer than the budget still gets its own batch.
    current = { members: [i], paddedLength: length };
    batches.push(current);
  }
  return batches;
}
