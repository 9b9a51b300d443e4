import { Document } from '@langchain/core/documents';

const TOPICS = {
  tides: ['Ocean tides rise and fall as the moon pulls on the water', 'Spring tides happen when the sun and the moon line up', 'A tide table lists high and low water for each harbour'],
  volcanoes: ['Volcanoes erupt when magma rises through the crust', 'Lava cools into basalt near the volcano', 'Ash from an eruption can ground aircraft'],
  baking: ['Bread rises because yeast ferments the sugar in the dough', 'Sourdough uses a starter instead of packaged yeast', 'An oven thermometer keeps the bake even'],
  orbits: ['The moon orbits the earth every twenty seven days', 'Satellites keep their orbit by balancing speed and gravity', 'The earth orbits the sun once a year'],
  rivers: ['Rivers carry sediment from the mountains to the sea', 'A delta forms where a river meets the ocean', 'Floods spread silt over the river plain'],
} as const;

export type Topic = keyof typeof TOPICS;

/**
 * `count` documents cycling through a few topics, each with metadata a vector store must keep
 * (Chroma rejects empty metadata), so tests can check that reranking copies it.
 */
export function makeCorpus(count: number): Document[] {
  const topics = Object.keys(TOPICS) as Topic[];
  return Array.from({ length: count }, (_, i) => {
    const topic = topics[i % topics.length]!;
    const sentences = TOPICS[topic];
    const sentence = sentences[Math.floor(i / topics.length) % sentences.length]!;
    return new Document({
      pageContent: `${sentence}. Note ${i} on ${topic}.`,
      metadata: { docId: `doc-${i}`, topic, position: i, source: `notes/${topic}.md` },
    });
  });
}
