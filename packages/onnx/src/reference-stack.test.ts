import { createRequire } from 'node:module';
import path from 'node:path';
import { CrossEncoder } from './cross-encoder';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

/**
 * The Hugging Face reference stack, rebuilt offline: the Rust tokenizer (npm `tokenizers`) with
 * truncation longest_first, each pair run alone through ONNX Runtime. Our batched engine must give
 * the same logits (within 1e-4) for every pair, truncated ones included.
 */
const ort = createRequire(require.resolve('@huggingface/transformers'))('onnxruntime-node');
const { Tokenizer } = require('tokenizers');

const WORDS = 'container bridge overlay port host dns kubernetes pod service ingress tls cert proxy nginx route subnet gateway veth namespace iptables'.split(' ');

function text(seed: number, words: number): string {
  let x = seed * 2654435761 >>> 0;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length]!);
  }
  return out.join(' ');
}

it('matches the Rust tokenizer + ONNX Runtime, pair by pair, within 1e-4', async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny'), quantized: true });
  const rust = Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
  rust.setTruncation(512, { strategy: 'LongestFirst' });
  const session = await ort.InferenceSession.create(path.join(dir, 'onnx', 'model.onnx'));
  const ce = await CrossEncoder.load(dir, { batchSize: 8 });
  try {
    const pairs: Array<[string, string]> = [];
    const lengths = [0, 1, 3, 12, 40, 90, 200, 300, 700];
    for (let i = 0; i < 36; i++) {
      pairs.push([text(i, lengths[i % 3]! + 2), text(i + 100, lengths[i % lengths.length]!)]);
    }
    pairs.push([text(7, 400), text(8, 600)], [text(9, 600), text(10, 3)], ['', ''], ['Zürich café — 東京', 'naïve 🐳 docker\tnetwork\n']);

    const ours = await ce.predict(pairs);
    let worst = 0;
    for (let i = 0; i < pairs.length; i++) {
      const [q, d] = pairs[i]!;
      const enc = await rust.encode(q, d);
      const ids: number[] = enc.getIds();
      const types: number[] = enc.getTypeIds();
      const t = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), [1, v.length]);
      const out = await session.run({ input_ids: t(ids), attention_mask: t(ids.map(() => 1)), token_type_ids: t(types) });
      worst = Math.max(worst, Math.abs(out.logits.data[0] - ours[i]!));
    }
    expect(worst).toBeLessThan(1e-4);
  } finally {
    await ce.dispose();
    await session.release();
  }
});
