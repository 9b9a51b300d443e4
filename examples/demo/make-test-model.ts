/**
 * Writes a generated cross-encoder (real BERT architecture and tokenizer, random weights) and prints
 * its folder, for running `pnpm demo --model <folder>` with no network. Its scores mean nothing.
 */
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('demo-tiny'), quantized: true });
console.log(dir);
