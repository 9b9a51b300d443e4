import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from '@crossrank/testing';

/**
 * A generated cross-encoder folder (real BERT graph and tokenizer, seeded weights) for LangChain
 * tests. Each test file names its own folder so parallel jest workers never write the same files.
 */
export async function testModelDir(name: string): Promise<string> {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir(`langchain-${name}`), ...TEST_MODEL_SHAPES.tiny, seed: 11 });
  return dir;
}
