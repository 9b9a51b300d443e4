/** Maps a raw logit to a relevance in [0, 1], as sentence-transformers' Sigmoid activation does. */
export function sigmoid(logit: number): number {
  // Split by sign so large magnitudes neither overflow nor lose precision.
  if (logit >= 0) return 1 / (1 + Math.exp(-logit));
  const e = Math.exp(logit);
  return e / (1 + e);
}
