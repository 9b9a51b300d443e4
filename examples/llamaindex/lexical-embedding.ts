import { BaseEmbedding } from 'llamaindex';

/**
 * A tiny offline embedding (hashed bag of words) so this example needs no API key and downloads no
 * embedding model. It stands in for a real one: swap in `OpenAIEmbedding` from `@llamaindex/openai`
 * or any other `BaseEmbedding`; the reranking step does not change.
 */
export class LexicalEmbedding extends BaseEmbedding {
  constructor(private readonly dimensions = 512) {
    super();
  }

  override async getTextEmbedding(text: string): Promise<number[]> {
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      vector[hash(word) % this.dimensions]! += 1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((v) => v / norm);
  }
}

function hash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
