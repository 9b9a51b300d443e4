import { Embeddings } from '@langchain/core/embeddings';

/**
 * Deterministic, offline embeddings: a hashed bag of words (feature hashing with a sign bit),
 * L2-normalised. Documents sharing words with the query land near it, which is all a first-stage
 * retriever needs in a test; no model and no network.
 */
export class HashingEmbeddings extends Embeddings {
  constructor(private readonly dimensions = 256) {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  private embed(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      const hash = fnv1a(word);
      vector[hash % this.dimensions]! += hash & 0x80000000 ? -1 : 1;
    }
    const norm = Math.hypot(...vector);
    // An empty text would give a zero vector, which cosine distance cannot handle.
    return norm === 0 ? vector.map((_, i) => (i === 0 ? 1 : 0)) : vector.map((v) => v / norm);
  }
}

function fnv1a(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    hash ^= word.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
