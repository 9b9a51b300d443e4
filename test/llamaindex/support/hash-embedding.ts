import { BaseEmbedding } from 'llamaindex';

/**
 * A deterministic, offline `BaseEmbedding`: a bag of words hashed into a fixed number of
 * dimensions, L2-normalised. Texts that share words are close, which is all a retrieval test
 * needs, and nothing reaches the network (LlamaIndex has no default embedding model).
 */
export class HashEmbedding extends BaseEmbedding {
  calls = 0;

  constructor(private readonly dimensions = 256) {
    super();
  }

  override async getTextEmbedding(text: string): Promise<number[]> {
    this.calls++;
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      vector[fnv1a(word) % this.dimensions]! += 1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((v) => v / norm);
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
