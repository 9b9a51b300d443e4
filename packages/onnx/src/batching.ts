/** A forward pass: which pairs (positions in the chunk) go in, and the padded length. */
export interface PlannedBatch {
  members: number[];
  paddedLength: number;
}

/**
 * What a forward pass costs, in tokens' worth of compute: `overheadTokens + rows * padded * (1 +
 * padded / attentionSpan)`. The fixed part is the per-run cost (one ONNX Runtime call, about a hundred
 * operators each handing work to the thread pool); the last factor is self-attention, whose work per
 * token grows with the padded length.
 */
export interface BatchCost {
  overheadTokens: number;
  /** Padded length at which attention costs as much per token as the dense layers (2h + ffn for BERT). */
  attentionSpan: number;
}

/**
 * Groups pairs of similar length so little compute goes to padding. Pairs are sorted by length
 * (longest first, ties by position, so the plan is deterministic); each batch takes a run of that
 * order, at most `batchSize` pairs and `maxBatchTokens` padded tokens (a single longer pair gets a
 * batch of its own).
 * - With `cost`: the runs are cut where the total cost is least (dynamic programming over the sorted
 *   lengths), trading padding against the per-run overhead.
 * - Without: each batch is filled greedily up to the limits.
 */
export function planBatches(lengths: ArrayLike<number>, batchSize: number, maxBatchTokens: number, cost?: BatchCost): PlannedBatch[] {
  const order = Array.from({ length: lengths.length }, (_, i) => i);
  order.sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const sorted = order.map((i) => lengths[i]!);
  const cuts = cost ? cheapestCuts(sorted, batchSize, maxBatchTokens, cost) : greedyCuts(sorted, batchSize, maxBatchTokens);
  const batches: PlannedBatch[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    batches.push({ members: order.slice(cuts[k], cuts[k + 1]), paddedLength: sorted[cuts[k]!]! });
  }
  return batches;
}

/** Whether sorted[start..end) fits one batch (its first, longest, pair sets the padded length). */
function fits(sorted: readonly number[], start: number, end: number, batchSize: number, maxBatchTokens: number): boolean {
  const rows = end - start;
  return rows === 1 || (rows <= batchSize && rows * sorted[start]! <= maxBatchTokens);
}

/** Batch boundaries [0, ..., n] filling each batch as far as the limits allow. */
function greedyCuts(sorted: readonly number[], batchSize: number, maxBatchTokens: number): number[] {
  const cuts = [0];
  for (let i = 1; i <= sorted.length; i++) {
    if (i === sorted.length || !fits(sorted, cuts.at(-1)!, i + 1, batchSize, maxBatchTokens)) cuts.push(i);
  }
  return cuts;
}

/**
 * Batch boundaries minimising the summed `BatchCost`. `best[j]` is the cheapest plan for the first j
 * pairs; the last batch of that plan starts at `from[j]`. Batches are capped at `batchSize` pairs,
 * so this is O(n * batchSize).
 */
function cheapestCuts(sorted: readonly number[], batchSize: number, maxBatchTokens: number, cost: BatchCost): number[] {
  const n = sorted.length;
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1);
  best[0] = 0;
  for (let end = 1; end <= n; end++) {
    for (let start = end - 1; start >= 0 && fits(sorted, start, end, batchSize, maxBatchTokens); start--) {
      const padded = sorted[start]!;
      const total = best[start]! + cost.overheadTokens + (end - start) * padded * (1 + padded / cost.attentionSpan);
      if (total < best[end]!) {
        best[end] = total;
        from[end] = start;
      }
    }
  }
  const cuts = [n];
  while (cuts[0]! > 0) cuts.unshift(from[cuts[0]!]!);
  return cuts;
}
