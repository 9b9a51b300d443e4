// The extra models of the load and memory rows (issue #21): an XLM-R-style model whose tokenizer.json
// is as large as XLM-R's (250,002 pieces, ~17 MB), and a bge-reranker-large-shaped one (~1.3 GB fp32).
// Both are generated into the git-ignored benchmarks/.cache and reused while their inputs are unchanged.
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestCrossEncoder, TEST_MODEL_SHAPES } from '@crossrank/testing';

/** XLM-RoBERTa's tokenizer size: sentencepiece.bpe.model's 250,000 pieces plus `<s>`/`</s>` shifts, `<mask>` last. */
export const XLMR_PIECES = 250_002;

const MARKER = 'crossrank-bench-tokenizer.json';

interface TokenizerJson {
  model: { vocab: Array<[string, number]> };
  added_tokens: Array<{ id: number; content: string }>;
  [key: string]: unknown;
}

/**
 * Pieces no text the benchmark tokenizes can contain: `▁` then two or three characters of Unicode's
 * Private Use Area (U+E000..U+F8FF), which real text (and DL19) does not use. The test model's
 * embedding has only the t5-derived tokenizer's 32,002 rows and @crossrank/testing generates other
 * vocabulary sizes for qwen3 only; pieces that can never match keep every id the Unigram model
 * emits inside the embedding, while the file, its parse and the tokenizer's piece table are as
 * large as XLM-R's. Their scores sit below every real piece and keep decreasing, as in a trained
 * Unigram vocabulary.
 */
export function syntheticPieces(count: number, belowScore: number): Array<[string, number]> {
  const base = 0xe000;
  const span = 0xf8ff - 0xe000 + 1;
  const pieces: Array<[string, number]> = [];
  for (let i = 0; i < count; i++) {
    const chars = [base + (i % span), base + (Math.floor(i / span) % span)];
    // Every third piece one character longer: piece lengths vary as a real vocabulary's do.
    if (i % 3 === 0) chars.push(base + ((i * 7) % span));
    pieces.push([`\u2581${String.fromCharCode(...chars)}`, belowScore - 1 - i * 1e-4]);
  }
  return pieces;
}

/**
 * `tokenizer.json` of the generated XLM-R test model with its Unigram vocabulary filled up to
 * `size` pieces by `syntheticPieces`, `<mask>` kept last (its added-token id moved with it), and
 * written with two-space indentation as Hugging Face writes tokenizer.json.
 */
export function extendTokenizer(source: TokenizerJson, size: number): string {
  const vocab = source.model.vocab;
  const mask = vocab.at(-1)!;
  if (mask[0] !== '<mask>') throw new Error(`The XLM-R test tokenizer should end with <mask>, found ${JSON.stringify(mask[0])}.`);
  if (size <= vocab.length) throw new Error(`Cannot extend a ${vocab.length}-piece vocabulary to ${size}.`);
  const lowest = Math.min(...vocab.map(([, score]) => score).filter((s) => s < 0));
  const extended: Array<[string, number]> = [...vocab.slice(0, -1), ...syntheticPieces(size - vocab.length, lowest), mask];
  const added_tokens = source.added_tokens.map((t) => (t.content === '<mask>' ? { ...t, id: extended.length - 1 } : t));
  return JSON.stringify({ ...source, added_tokens, model: { ...source.model, vocab: extended } }, null, 2);
}

/**
 * An XLM-R model of `shape` (fp32 and q8) whose tokenizer.json holds `size` pieces, in `dir`. The
 * generated model is kept in `${dir}-base`; `dir` hard-links its ONNX files (no second copy on disk).
 */
export async function bigTokenizerModel(dir: string, shape: { layers: number; hidden: number; heads: number; intermediate: number }, size: number): Promise<string> {
  const base = `${dir}-base`;
  await createTestCrossEncoder({ dir: base, architecture: 'xlm-roberta', ...shape, quantized: true });
  const sourceTokenizer = path.join(base, 'tokenizer.json');
  const marker = JSON.stringify({ size, source: statSync(path.join(base, 'onnx', 'model.onnx')).mtimeMs, tokenizer: statSync(sourceTokenizer).size, format: 1 });
  if (existsSync(path.join(dir, MARKER)) && readFileSync(path.join(dir, MARKER), 'utf8') === marker) return dir;
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.join(staging, 'onnx'), { recursive: true });
  for (const file of ['onnx/model.onnx', 'onnx/model_quantized.onnx']) linkSync(path.join(base, file), path.join(staging, file));
  for (const file of ['config.json', 'tokenizer_config.json']) writeFileSync(path.join(staging, file), readFileSync(path.join(base, file)));
  writeFileSync(path.join(staging, 'tokenizer.json'), extendTokenizer(JSON.parse(readFileSync(sourceTokenizer, 'utf8')) as TokenizerJson, size));
  writeFileSync(path.join(staging, MARKER), marker);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}

/** The bge-reranker-large shape (24 x 1024, XLM-R), fp32 ~1.3 GB, with its q8 file. */
export async function largeModel(dir: string): Promise<string> {
  await createTestCrossEncoder({ dir, architecture: 'xlm-roberta', ...TEST_MODEL_SHAPES.bgeRerankerLarge, quantized: true });
  return dir;
}
