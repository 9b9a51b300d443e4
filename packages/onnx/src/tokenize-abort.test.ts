import { RerankAbortedError } from '@crossrank/core';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { CrossEncoder } from './index.js';

// Issue 12, item 3: tokenizing is synchronous, so a call with many long documents tokenizes them in
// slices, yielding to the event loop between slices; an abort then stops it part way through.
let ce: CrossEncoder;
beforeAll(async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny'), quantized: true });
  ce = await CrossEncoder.load(dir, { workers: 0 });
});
afterAll(async () => {
  await ce?.dispose();
});

const documents = Array.from({ length: 1000 }, (_, i) => `document ${i}: ${'containers share a bridge network and talk by name '.repeat(80)}`);

function countTokenizeCalls(): { calls: number; restore(): void } {
  // workers: 0 tokenizes in this thread: CrossEncoder -> LocalPairSource -> ModelEncoder -> PairEncoder.
  const encoder = (ce as unknown as { source: { encoder: { encoder: { tokenize(text: string): unknown } } } }).source.encoder.encoder;
  const original = encoder.tokenize.bind(encoder);
  const counter = {
    calls: 0,
    restore: () => {
      encoder.tokenize = original;
    },
  };
  encoder.tokenize = (text: string) => {
    counter.calls++;
    return original(text);
  };
  return counter;
}

it('an abort during tokenizing stops it part way through, with RerankAbortedError', async () => {
  const counter = countTokenizeCalls();
  try {
    const controller = new AbortController();
    const call = ce.rerank('how do containers talk', documents, { signal: controller.signal });
    // Runs at the first slice boundary; without slices it could only run once every document was tokenized.
    setImmediate(() => controller.abort());
    await expect(call).rejects.toThrow(RerankAbortedError);
    expect(counter.calls).toBeGreaterThan(0);
    expect(counter.calls).toBeLessThan(documents.length);
  } finally {
    counter.restore();
  }
});

