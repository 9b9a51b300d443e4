import { CrossEncoder } from './cross-encoder';

/**
 * Conformance with the real ms-marco-MiniLM-L-6-v2 (opt-in: CROSSRANK_REAL_MODELS=1, needs network).
 * Reference logits are the sentence-transformers model card's.
 */
it('reproduces the published logits of ms-marco-MiniLM-L-6-v2 for the Berlin pairs', async () => {
  const ce = await CrossEncoder.load('Xenova/ms-marco-MiniLM-L-6-v2', { dtype: 'fp32' });
  try {
    const logits = await ce.predict([
      ['How many people live in Berlin?', 'Berlin had a population of 3,520,031 registered inhabitants in an area of 891.82 square kilometers.'],
      ['How many people live in Berlin?', 'Berlin is well known for its museums.'],
    ]);
    expect(Math.abs(logits[0]! - 8.607138)).toBeLessThan(1e-3);
    expect(Math.abs(logits[1]! - -4.3200774)).toBeLessThan(1e-3);
  } finally {
    await ce.dispose();
  }
});
