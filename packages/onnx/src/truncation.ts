/**
 * Hugging Face tokenizers' `longest_first` pair truncation (the Rust implementation that
 * sentence-transformers runs through the fast tokenizers): given the two texts' token counts and
 * the room left after special tokens, returns how many tokens of each to keep (from the start).
 */
export function longestFirstLengths(lengthA: number, lengthB: number, budget: number): [number, number] {
  if (lengthA + lengthB <= budget) return [lengthA, lengthB];
  let n1 = lengthA;
  let n2 = lengthB;
  const swap = n1 > n2;
  if (swap) [n1, n2] = [n2, n1];
  // n1 is now the shorter side: only the longer one is cut unless both must be.
  n2 = n1 > budget ? n1 : Math.max(n1, budget - n1);
  if (n1 + n2 > budget) {
    n1 = Math.floor(budget / 2);
    n2 = n1 + (budget % 2);
  }
  return swap ? [n2, n1] : [n1, n2];
}
