import path from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { Tokenizer, type Encoding } from 'tokenizers';
import { fidelityCases, limitCases, type FidelityCase } from './fidelity-cases.js';
import { HfTextTokenizer } from './hf-tokenizer.js';
import { PairEncoder, type TextTokenizer, type TextTokens } from './pair-encoder.js';
import type { PairTemplate } from './pair-template.js';

// The reference is the Rust tokenizer (npm `tokenizers` 0.23.2), what sentence-transformers'
// CrossEncoder runs: `tokenizer(queries, docs, truncation=True, max_length=...)`, longest_first.
const TOKENIZER_DIR = path.resolve(__dirname, '../../testing/assets/tokenizers/ms-marco-MiniLM-L-6-v2');
// Budgets (maxLength - 3) odd and even at the model limit (509, 508) and below (125, 30, 29, 4).
// Budgets 0 to 15 are pinned exhaustively by truncation.test.ts.
const MAX_LENGTHS = [512, 511, 128, 33, 32, 7];
const SEP = 102;

let hf: PreTrainedTokenizer;
let ours: HfTextTokenizer;
let template: PairTemplate;
let rust: Tokenizer;

beforeAll(async () => {
  hf = await AutoTokenizer.from_pretrained(TOKENIZER_DIR, { local_files_only: true });
  ours = new HfTextTokenizer(hf);
  template = ours.pairTemplate();
  rust = Tokenizer.fromFile(path.join(TOKENIZER_DIR, 'tokenizer.json'));
  rust.disablePadding();
});

interface Encoded {
  ids: number[];
  types: number[];
}

const plain = (pair: { inputIds: Int32Array; tokenTypeIds: Uint8Array }): Encoded => ({ ids: [...pair.inputIds], types: [...pair.tokenTypeIds] });
const fromRust = (e: Encoding): Encoded => ({ ids: e.getIds(), types: e.getTypeIds() });

/** What `encode(query, document)` gives with truncation on (tokenizers 0.23.1+ stops long texts early). */
async function rustPairs(cases: readonly FidelityCase[], maxLength: number): Promise<Encoded[]> {
  rust.setTruncation(maxLength, { strategy: 'LongestFirst' as never });
  return (await Promise.all(cases.map((c) => rust.encode(c.query, c.document)))).map(fromRust);
}

/** Each text encoded whole, without special tokens or truncation. */
async function rustWholeTexts(texts: Iterable<string>): Promise<Map<string, Encoding>> {
  const distinct = [...new Set(texts)];
  rust.disableTruncation();
  const encodings = await rust.encodeBatch(distinct, { addSpecialTokens: false });
  return new Map(distinct.map((text, i) => [text, encodings[i]!]));
}

/**
 * tokenizers 0.22 and earlier: Rust's truncate_encodings and template on whole-text encodings,
 * which is what `encode` did before 0.23.1 stopped tokenizing long texts early.
 */
function rustWholeTextPairs(cases: readonly FidelityCase[], whole: Map<string, Encoding>, maxLength: number): Encoded[] {
  rust.setTruncation(maxLength, { strategy: 'LongestFirst' as never });
  return cases.map((c) => fromRust(rust.postProcess(whole.get(c.query)!, whole.get(c.document)!, true)));
}

function firstDifference(ours: Encoded, theirs: Encoded): string | undefined {
  const length = Math.max(ours.ids.length, theirs.ids.length);
  for (let i = 0; i < length; i++) {
    if (ours.ids[i] !== theirs.ids[i] || ours.types[i] !== theirs.types[i]) {
      return `at ${i}: ours ${ours.ids[i]}/${ours.types[i]}, rust ${theirs.ids[i]}/${theirs.types[i]} (lengths ${ours.ids.length} vs ${theirs.ids.length})`;
    }
  }
  return undefined;
}

const report = (line: string): void => {
  if (process.env['CROSSRANK_FIDELITY_REPORT']) process.stdout.write(`${line}\n`);
};

describe('PairEncoder against the Rust tokenizer, over the fidelity corpus', () => {
  const cases = fidelityCases();
  const tokens = new Map<string, TextTokens>();
  let whole: Map<string, Encoding>;

  beforeAll(async () => {
    let started = performance.now();
    for (const c of cases) {
      for (const text of [c.query, c.document]) if (!tokens.has(text)) tokens.set(text, ours.tokenize(text));
    }
    const ourSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    whole = await rustWholeTexts(tokens.keys());
    const rustSeconds = (performance.now() - started) / 1000;
    const total = [...tokens.values()].reduce((sum, ids) => sum + ids.length, 0);
    report(`fidelity corpus: ${cases.length} pairs, ${tokens.size} texts, ${total} tokens; tokenizing: ours ${ourSeconds.toFixed(2)} s, rust encodeBatch ${rustSeconds.toFixed(2)} s`);
  });

  function compareAll(maxLengths: readonly number[], expectedAt: (maxLength: number) => Promise<Encoded[]> | Encoded[], earlyExit: boolean) {
    return async (): Promise<void> => {
      const mismatches: string[] = [];
      let agreeing = 0;
      for (const maxLength of maxLengths) {
        const encoder = new PairEncoder(ours, template, maxLength, { earlyExit });
        const expected = await expectedAt(maxLength);
        cases.forEach((c, i) => {
          const difference = firstDifference(plain(encoder.encodeTokens(tokens.get(c.query)!, tokens.get(c.document)!)), expected[i]!);
          if (difference) mismatches.push(`${c.label} @${maxLength} ${difference}`);
          else agreeing++;
        });
      }
      expect(mismatches.slice(0, 20)).toEqual([]);
      expect(agreeing).toBe(cases.length * maxLengths.length);
      report(`fidelity (earlyExit ${earlyExit}, maxLength ${maxLengths.join('/')}): ${agreeing} of ${cases.length * maxLengths.length} encodings agree`);
    };
  }

  it('has at least 500 pairs, and our tokenization of every text equals Rust', () => {
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const different = [...tokens].filter(([text, ids]) => {
      const expected = whole.get(text)!.getIds();
      return expected.length !== ids.length || expected.some((id, i) => id !== ids[i]);
    });
    expect(different.map(([text]) => JSON.stringify(text.slice(0, 60)))).toEqual([]);
  });

  it('covers every length class the truncation treats differently (measured with Rust)', () => {
    const length = (text: string): number => whole.get(text)!.getLength();
    const count = (test: (q: number, d: number) => boolean): number => cases.filter((c) => test(length(c.query), length(c.document))).length;
    expect(count((q, d) => d > 512 && q < 64)).toBeGreaterThanOrEqual(50);
    expect(count((q, d) => q > 512 && d < 64)).toBeGreaterThanOrEqual(30);
    expect(count((q, d) => q > 512 && d > 512)).toBeGreaterThanOrEqual(10);
    expect(count((q, d) => q > 256 && d > 256)).toBeGreaterThanOrEqual(40);
    expect(count((q, d) => q + d <= 509)).toBeGreaterThanOrEqual(150);
    expect(count((q) => q === 0)).toBeGreaterThanOrEqual(15);
    expect(count((_, d) => d === 0)).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.query !== '' && c.query.trim() === '').length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c.document === '').length).toBeGreaterThanOrEqual(1);
  });

  it(
    'encodes every pair exactly as tokenizers 0.23 does, at every maxLength',
    compareAll(MAX_LENGTHS, (maxLength) => rustPairs(cases, maxLength), true),
  );

  // Rust builds every combination of both texts' overflow chunks when it truncates whole texts,
  // quadratic in how far they run past maxLength: only the model limit stays affordable here.
  it(
    'with earlyExit: false, encodes every pair exactly as tokenizers 0.22 does, at 512 and 511',
    compareAll([512, 511], (maxLength) => rustWholeTextPairs(cases, whole, maxLength), false),
  );

  it.each(MAX_LENGTHS)('keeps pairs of exactly %i tokens whole and cuts one or two over like Rust', async (maxLength) => {
    const limits = limitCases(maxLength, template.specialCount);
    const lengths = await rustWholeTexts(limits.flatMap((c) => [c.query, c.document]));
    const expected = await rustPairs(limits, maxLength);
    const encoder = new PairEncoder(ours, template, maxLength);
    limits.forEach((c, i) => {
      // The generator's token counts are only trusted once Rust confirms them.
      expect([lengths.get(c.query)!.getLength(), lengths.get(c.document)!.getLength()]).toEqual([c.queryTokens, c.documentTokens]);
      const actual = plain(encoder.encode(c.query, c.document));
      expect({ label: c.label, ...actual }).toEqual({ label: c.label, ...expected[i] });
      expect(actual.ids).toHaveLength(Math.min(c.queryTokens + c.documentTokens + template.specialCount, maxLength));
      expect(actual.ids[actual.ids.length - 1]).toBe(SEP);
    });
  });

  it('encode(a, b) equals encodeTokens(tokenize(a), tokenize(b))', () => {
    const encoder = new PairEncoder(ours, template, 64);
    for (const c of cases.slice(0, 40)) {
      expect(plain(encoder.encode(c.query, c.document))).toEqual(plain(encoder.encodeTokens(encoder.tokenize(c.query), encoder.tokenize(c.document))));
    }
  });
});

describe('both texts past maxLength with an odd budget (where tokenizers 0.22 and 0.23 differ)', () => {
  const maxLength = 10; // budget 7: halves of 3 and 4, the 4 going to the longer text
  const words = (count: number, word: string): string => Array.from({ length: count }, () => word).join(' ');
  // [label, query, document]. Rust 0.23 stops each text after the word that reaches 10 tokens;
  // literal special tokens count but do not stop it.
  const cases: Array<[string, string, string]> = [
    ['longer query', words(14, 'cat'), words(11, 'dog')],
    ['longer document', words(11, 'cat'), words(14, 'dog')],
    ['a three-piece word crossing the limit in the query', `${words(9, 'cat')} unbelievably ${words(5, 'cat')}`, words(12, 'dog')],
    ['a three-piece word crossing the limit in the document', words(12, 'cat'), `${words(8, 'dog')} unbelievably ${words(5, 'dog')}`],
    ['a literal [SEP] reaching the limit', `${words(9, 'cat')} [SEP] ${words(5, 'cat')}`, words(12, 'dog')],
    ['literal special tokens in a row at the limit', `${words(9, 'cat')} [SEP][CLS] [MASK] unbelievably ${words(3, 'cat')}`, words(12, 'dog')],
    ['literal special tokens after the limit', `${words(10, 'cat')} [SEP] [SEP] [SEP]`, words(11, 'dog')],
    ['an [UNK] word at the limit', `${words(9, 'cat')} ${'x'.repeat(120)} ${words(4, 'cat')}`, words(12, 'dog')],
    ['CJK characters (one split each) at the limit', `${words(8, 'cat')} 北京是中国的首都`, words(12, 'dog')],
  ];

  it.each(cases)('%s: by default like tokenizers 0.23, with earlyExit false like 0.22', async (_, query, document) => {
    const pair = [{ label: 'edge', query, document }];
    const [newer] = await rustPairs(pair, maxLength);
    const [older] = rustWholeTextPairs(pair, await rustWholeTexts([query, document]), maxLength);
    expect(plain(new PairEncoder(ours, template, maxLength).encode(query, document))).toEqual(newer);
    expect(plain(new PairEncoder(ours, template, maxLength, { earlyExit: false }).encode(query, document))).toEqual(older);
  });

  it('the two versions really differ on several of these pairs', async () => {
    let differing = 0;
    for (const [, query, document] of cases) {
      const pair = [{ label: 'edge', query, document }];
      const [newer] = await rustPairs(pair, maxLength);
      const [older] = rustWholeTextPairs(pair, await rustWholeTexts([query, document]), maxLength);
      if (firstDifference(newer!, older!)) differing++;
    }
    expect(differing).toBeGreaterThanOrEqual(4);
  });

  it('uses whole-text lengths for a tokenizer without lengthWithLimit', () => {
    const oneTokenPerWord: TextTokenizer = { tokenize: (text) => text.split(' ').map((word) => word.length) };
    const encoder = new PairEncoder(oneTokenPerWord, template, maxLength);
    // 11 vs 10 tokens, budget 7: the longer query gets the 4.
    const encoded = plain(encoder.encode(words(11, 'a'), words(10, 'b')));
    expect(encoded.types.filter((t) => t === 0)).toHaveLength(2 + 4);
  });

  it('uses the whole length for token arrays HfTextTokenizer did not produce', () => {
    const produced = ours.tokenize(words(14, 'cat'));
    expect(ours.lengthWithLimit(produced, maxLength)).toBe(maxLength);
    expect(ours.lengthWithLimit([...produced], maxLength)).toBe(14);
  });
});

describe('transformers.js pair encoding (why PairEncoder exists)', () => {
  it('cuts only the tail of a long pair and loses the final [SEP], where Rust trims longest-first', async () => {
    const query = 'what does the river look like in winter '.repeat(10).trim(); // 80 tokens
    const document = 'The river froze early that winter, so the ferry stayed tied up. '.repeat(30).trim(); // 420 tokens
    const maxLength = 128;
    const [expected] = await rustPairs([{ label: 'long', query, document }], maxLength);
    const theirs = hf(query, { text_pair: document, truncation: true, max_length: maxLength }) as unknown as {
      input_ids: { tolist(): bigint[][] };
      token_type_ids: { tolist(): bigint[][] };
    };
    const theirIds = theirs.input_ids.tolist()[0]!.map(Number);
    const theirTypes = theirs.token_type_ids.tolist()[0]!.map(Number);

    // Rust: both cut to 62 + 63 (budget 125), closing [SEP] kept.
    expect(expected!.ids).toHaveLength(maxLength);
    expect(expected!.ids[maxLength - 1]).toBe(SEP);
    expect(expected!.types.filter((t) => t === 0)).toHaveLength(1 + 62 + 1);
    // transformers.js: the whole query is kept, the document gets what is left and no closing [SEP].
    expect(theirIds).toHaveLength(maxLength);
    expect(theirIds[maxLength - 1]).not.toBe(SEP);
    expect(theirTypes.filter((t) => t === 0)).toHaveLength(1 + 80 + 1);
    expect(theirIds).not.toEqual(expected!.ids);
    // Ours matches Rust.
    expect(plain(new PairEncoder(ours, template, maxLength).encode(query, document))).toEqual(expected);
  });
});
