import { planBatches } from './batching';

describe('planBatches', () => {
  it('covers every pair exactly once, longest first', () => {
    const lengths = [5, 40, 12, 40, 3, 18, 7];
    const batches = planBatches(lengths, 3, 1000);
    const members = batches.flatMap((b) => b.members);
    expect([...members].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(members).toEqual([1, 3, 5, 2, 6, 0, 4]);
    expect(batches.map((b) => b.paddedLength)).toEqual([40, 12, 3]);
  });

  it('respects the token budget, counting padding', () => {
    const lengths = [100, 90, 80, 10, 10, 10, 10];
    const batches = planBatches(lengths, 32, 200);
    for (const b of batches) {
      expect(b.members.length * b.paddedLength).toBeLessThanOrEqual(200);
      for (const m of b.members) expect(lengths[m]).toBeLessThanOrEqual(b.paddedLength);
    }
    expect(batches[0]!.members).toEqual([0, 1]);
  });

  it('gives a pair longer than the budget a batch of its own', () => {
    expect(planBatches([600, 20], 8, 512)).toEqual([
      { members: [0], paddedLength: 600 },
      { members: [1], paddedLength: 20 },
    ]);
  });
});

describe('planBatches with a cost model', () => {
  it('cuts where padding costs more than another forward pass', () => {
    const batches = planBatches([5, 40, 12, 40, 3, 18, 7], 8, 1000, { overheadTokens: 16, attentionSpan: Infinity });
    expect(batches.map((b) => b.members)).toEqual([[1, 3], [5, 2], [6, 0, 4]]);
    expect(batches.map((b) => b.paddedLength)).toEqual([40, 18, 7]);
  });

  it('puts everything in one pass when a pass is expensive', () => {
    const batches = planBatches([5, 40, 12, 40, 3, 18, 7], 8, 1000, { overheadTokens: 1000, attentionSpan: Infinity });
    expect(batches).toHaveLength(1);
    expect(batches[0]!.members).toHaveLength(7);
  });
});
