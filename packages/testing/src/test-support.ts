// Helpers for this folder's tests only (not exported from @crossrank/testing).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';

export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
}
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface Ort {
  InferenceSession: { create(model: string | Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: string, data: unknown, dims: number[]) => OrtTensor;
}

/** onnxruntime-node, the same version @crossrank/onnx (and @huggingface/transformers 4.3) uses. */
export function loadOrt(): Ort {
  return createRequire(__filename)('onnxruntime-node') as Ort;
}

export interface Encoded {
  ids: number[];
  typeIds: number[];
}

/** Tokenises query/passage pairs with the model folder's own tokenizer.json. */
export async function encodePairs(modelDir: string, pairs: readonly (readonly [string, string])[]): Promise<Encoded[]> {
  const tokenizer = Tokenizer.fromFile(join(modelDir, 'tokenizer.json'));
  const out: Encoded[] = [];
  for (const [query, passage] of pairs) {
    const encoding = await tokenizer.encode(query, passage);
    out.push({ ids: encoding.getIds(), typeIds: encoding.getTypeIds() });
  }
  return out;
}

/** Right-pads the batch to its longest row (mask 0, pad id 0) and returns one logits row per pair. */
export async function runBatch(ort: Ort, session: OrtSession, batch: readonly Encoded[], padTo = 0): Promise<number[][]> {
  const length = Math.max(padTo, ...batch.map((e) => e.ids.length));
  const size = batch.length * length;
  const ids = new BigInt64Array(size);
  const mask = new BigInt64Array(size);
  const types = new BigInt64Array(size);
  batch.forEach((e, b) => {
    e.ids.forEach((id, t) => {
      ids[b * length + t] = BigInt(id);
      mask[b * length + t] = 1n;
      types[b * length + t] = BigInt(e.typeIds[t]!);
    });
  });
  const dims = [batch.length, length];
  const { logits } = await session.run({
    input_ids: new ort.Tensor('int64', ids, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    token_type_ids: new ort.Tensor('int64', types, dims),
  });
  const [rows, labels] = logits!.dims as [number, number];
  const data = Array.from(logits!.data as Float32Array);
  return Array.from({ length: rows }, (_, r) => data.slice(r * labels, (r + 1) * labels));
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function std(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

export function pearson(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/** Varied real queries, each with passages of mixed relevance. */
export const QUERIES = [
  'what is the capital of france',
  'how do vaccines work',
  'best way to learn python',
  'symptoms of vitamin d deficiency',
  'who wrote pride and prejudice',
  'how to bake sourdough bread',
] as const;

export const PASSAGES = [
  'Paris is the capital and most populous city of France.',
  'Vaccines train the immune system to recognise a pathogen without causing the disease.',
  'Python is a popular programming language; beginners often start with small projects.',
  'Low vitamin D levels can cause fatigue, bone pain and muscle weakness.',
  'Pride and Prejudice is an 1813 novel of manners by Jane Austen.',
  'Sourdough bread is made by fermenting dough with wild yeast and lactobacilli.',
  'The Eiffel Tower was completed in 1889 for the World Fair.',
  'Berlin has been the capital of Germany since reunification in 1990.',
] as const;

/** Every query paired with every passage (48 pairs), query-major. */
export const SAMPLE_PAIRS: readonly (readonly [string, string])[] = QUERIES.flatMap((q) => PASSAGES.map((p) => [q, p] as const));
