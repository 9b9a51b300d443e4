/**
 * Writes the generated cross-encoder the notebooks use offline (`notebooks.sh open --test-model`) and prints
 * its folder: the real BERT architecture and tokenizer with seeded random weights. The code runs as with the
 * hub model, but its scores and rankings mean nothing.
 */
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('notebooks') });
console.log(dir);
