import { Embeddings } from '@langchain/core/embeddings';

/**
 * A stand-in embedding model so the example runs offline and without a key: a hashed bag of words.
 * It is deliberately crude (it only matches words), which is the situation a reranker is for.
 * In an app, use a real one instead, e.g. `new OpenAIEmbeddings()` from `@langchain/openai`.
 */
export class HashingEmbeddings extends Embeddings {
  constructor(private readonly dimensions = 512) {
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
