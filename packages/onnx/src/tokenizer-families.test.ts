import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { Tokenizer, type Encoding } from 'tokenizers';
import { fidelityCases, type FidelityCase } from './fidelity-cases.js';
import { HfTextTokenizer } from './hf-tokenizer.js';
import { PairEncoder, type TextTokens } from './pair-encoder.js';
import type { PairTemplate } from './pair-template.js';
import { xlmRobertaTokenizerConfig, xlmRobertaTokenizerFromUnigram } from '@crossrank/testing';

/**
 * Every tokenizer family crossrank's seed models use, held to the BERT bar: each (query, document)
 * pair we encode equals what the Rust tokenizer (npm `tokenizers` 0.23.2, what sentence-transformers
 * runs) gives with longest_first truncation, over the fidelity corpus at several maxLengths, plus
 * each family's known pitfalls. Set CROSSRANK_FIDELITY_REPORT=1 to print the agreement counts.
 */
const ASSETS = path.resolve(__dirname, '../../testing/assets/tokenizers');
const FIXTURES = path.resolve(__dirname, '../test-fixtures/tokenizers');

interface Family {
  name: string;
  /** A folder transformers.js can load (tokenizer.json + tokenizer_config.json). */
  dir: () => string;
  /** Token type of the second text in the pair. */
  pitfalls: string[];
  /** The pair template the family must produce (ids of the special tokens around A and B). */
  shape: string;
}

let tmp: string;
const xlmrDir = (): string => {
  const dir = path.join(tmp, 'xlm-roberta-from-t5');
  const source = JSON.parse(readFileSync(path.join(ASSETS, 't5-small', 'tokenizer.json'), 'utf8'));
  require('node:fs').mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(xlmRobertaTokenizerFromUnigram(source)));
  writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(xlmRobertaTokenizerConfig(512)));
  return dir;
};

// Shared by the SentencePiece families: Metaspace's prefix space, whitespace runs and unknown characters.
const SENTENCEPIECE_PITFALLS = [
  'hello', ' hello', '  hello', '\thello\n', 'hello  world', 'hello world ', '▁already▁marked', '▁', ' ▁ ',
  '🙂🙂 unknown 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃☃☃', '北京是中国的首都', 'ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ', 'ﬁnance ﬂow', 'caf\u00e9 cafe\u0301', 'a\u00a0b\u2009c\u200bd', 'x\u200d\u200cy',
  '</s> inside </s>text', '<pad><unk>', '<extra_id_0> sentinel',
];
const BYTE_LEVEL_PITFALLS = [
  'hello', ' hello', '  hello', 'hello  world', 'hello   world    ', '\n\n\tindent', 'don\'t we\'ll I\'M', '123 4567 89',
  '🙂🙂 👩‍👩‍👧 ☃', '北京是中国的首都', 'caf\u00e9 cafe\u0301', 'a\u00a0b\u2009c\u200bd', 'x\u200d\u200cy', '\u0000ctrl\u0007',
];

const FAMILIES: Family[] = [
  {
    name: 't5-small',
    dir: () => path.join(ASSETS, 't5-small'),
    pitfalls: SENTENCEPIECE_PITFALLS,
    shape: 'A </s> B </s>',
  },
  {
    name: 'XLM-R template over t5-small pieces',
    dir: xlmrDir,
    pitfalls: [...SENTENCEPIECE_PITFALLS, 'The capital is <mask>.', 'two  <mask> <mask>x', '<s>literal</s></s>'],
    shape: '<s> A </s></s> B </s>',
  },
  {
    name: 'roberta-base',
    dir: () => path.join(FIXTURES, 'roberta-base'),
    pitfalls: [...BYTE_LEVEL_PITFALLS, 'The capital is <mask>.', 'two  <mask> <mask>x', '<s>literal</s></s>', '<pad> <unk>'],
    shape: '<s> A </s></s> B </s>',
  },
  {
    name: 'ModernBERT-base',
    dir: () => path.join(FIXTURES, 'ModernBERT-base'),
    pitfalls: [
      ...BYTE_LEVEL_PITFALLS, 'runs of                          spaces', '|||IP_ADDRESS||| and |||EMAIL_ADDRESS|||',
      '[CLS] a [SEP] b [MASK]', 'Å vs A\u030a, \uFB01', '<|padding|> <|endoftext|>',
    ],
    shape: '[CLS] A [SEP] B [SEP]',
  },
];

// Budgets odd and even at the model limit and below; the BERT suite (pair-encoder.test.ts) sweeps more.
const MAX_LENGTHS = [512, 511, 130, 9];

interface Encoded {
  ids: number[];
  types: number[];
}
const plain = (pair: { inputIds: Int32Array; tokenTypeIds: Uint8Array }): Encoded => ({ ids: [...pair.inputIds], types: [...pair.tokenTypeIds] });
const fromRust = (e: Encoding): Encoded => ({ ids: e.getIds(), types: e.getTypeIds() });
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const report = (line: string): void => {
  if (process.env['CROSSRANK_FIDELITY_REPORT']) process.stdout.write(`${line}\n`);
};

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'crossrank-families-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(FAMILIES)('$name against the Rust tokenizer', (family) => {
  const cases = fidelityCases();
  /** A transformers.js tokenizer left as transformers.js made it (HfTextTokenizer corrects its own). */
  let hf: PreTrainedTokenizer;
  let ours: HfTextTokenizer;
  let template: PairTemplate;
  let rust: Tokenizer;
  const tokens = new Map<string, TextTokens>();

  beforeAll(async () => {
    const dir = family.dir();
    hf = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    ours = new HfTextTokenizer(await AutoTokenizer.from_pretrained(dir, { local_files_only: true }));
    template = ours.pairTemplate();
    rust = Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    rust.disablePadding();
    for (const c of cases) for (const text of [c.query, c.document]) if (!tokens.has(text)) tokens.set(text, ours.tokenize(text));
  });

  async function rustPairs(pairs: readonly FidelityCase[], maxLength: number): Promise<Encoded[]> {
    rust.setTruncation(maxLength, { strategy: 'LongestFirst' as never });
    return (await Promise.all(pairs.map((c) => rust.encode(c.query, c.document)))).map(fromRust);
  }

  it(`joins a pair as ${family.shape}`, async () => {
    const [expected] = await rustPairs([{ label: 'shape', query: 'a', document: 'b' }], 512);
    const encoded = plain(new PairEncoder(ours, template, 512).encode('a', 'b'));
    expect(encoded).toEqual(expected);
    expect(template.pieces.map((p) => (p.kind === 'special' ? 'S' : p.which)).join(' ')).toBe(
      family.shape.replace(/[^AB\s]+/g, (m) => 'S '.repeat(m.split(/(?<=>)(?=<)/).length).trim()),
    );
  });

  it('tokenizes every corpus text and every pitfall exactly as Rust', async () => {
    const texts = [...tokens.keys(), ...family.pitfalls];
    rust.disableTruncation();
    const expected = await rust.encodeBatch(texts, { addSpecialTokens: false });
    const different = texts.filter((text, i) => !same(ours.tokenize(text), expected[i]!.getIds()));
    // transformers.js alone (NFKC for the SentencePiece charsmap, JavaScript's \s for WhitespaceSplit).
    const plainDifferent = texts.filter((text, i) => !same(hf.encode(text, { add_special_tokens: false }), expected[i]!.getIds())).length;
    report(`${family.name}: single texts ${texts.length - different.length} of ${texts.length} agree (transformers.js alone: ${texts.length - plainDifferent})`);
    expect(different.map((text) => JSON.stringify(text.slice(0, 60)))).toEqual([]);
    // Where crossrank corrects transformers.js, the corpus really exercises the correction.
    if (family.name !== 'roberta-base' && family.name !== 'ModernBERT-base') expect(plainDifferent).toBeGreaterThan(100);
  });

  it('encodes every corpus pair like Rust at every maxLength', async () => {
    const mismatches: string[] = [];
    let agreeing = 0;
    for (const maxLength of MAX_LENGTHS) {
      const encoder = new PairEncoder(ours, template, maxLength);
      const expected = await rustPairs(cases, maxLength);
      cases.forEach((c, i) => {
        const actual = plain(encoder.encodeTokens(tokens.get(c.query)!, tokens.get(c.document)!));
        if (same(actual.ids, expected[i]!.ids) && same(actual.types, expected[i]!.types)) agreeing++;
        else mismatches.push(`${c.label} @${maxLength}`);
      });
    }
    report(`${family.name}: pairs ${agreeing} of ${cases.length * MAX_LENGTHS.length} agree (maxLength ${MAX_LENGTHS.join('/')})`);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('covers texts past 512 tokens on either side (measured with Rust)', async () => {
    rust.disableTruncation();
    const length = new Map<string, number>();
    const distinct = [...tokens.keys()];
    (await rust.encodeBatch(distinct, { addSpecialTokens: false })).forEach((e, i) => length.set(distinct[i]!, e.getLength()));
    expect(cases.filter((c) => length.get(c.query)! > 512 && length.get(c.document)! < 64).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => length.get(c.document)! > 512 && length.get(c.query)! < 64).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => length.get(c.document)! > 512 && length.get(c.query)! > 512).length).toBeGreaterThanOrEqual(5);
  });

  it('pitfall pairs, each text as query and as document, at 512 and 16', async () => {
    const pairs: FidelityCase[] = family.pitfalls.flatMap((text, i) => [
      { label: `pitfall-q#${i}`, query: text, document: family.pitfalls[(i + 1) % family.pitfalls.length]! },
      { label: `pitfall-d#${i}`, query: 'what is this', document: text.repeat(20) },
    ]);
    for (const maxLength of [512, 16]) {
      const expected = await rustPairs(pairs, maxLength);
      const encoder = new PairEncoder(ours, template, maxLength);
      const wrong = pairs.filter((c, i) => {
        const actual = plain(encoder.encode(c.query, c.document));
        return !same(actual.ids, expected[i]!.ids) || !same(actual.types, expected[i]!.types);
      });
      expect(wrong.map((c) => `${c.label} @${maxLength}: ${JSON.stringify(c.query.slice(0, 30))} / ${JSON.stringify(c.document.slice(0, 30))}`)).toEqual([]);
    }
  });

  it("measures transformers.js's own pair encoding against Rust (why PairEncoder exists)", async () => {
    let wrong = 0;
    let total = 0;
    const kinds = new Map<string, number>();
    for (const maxLength of [512]) {
      const expected = await rustPairs(cases, maxLength);
      cases.forEach((c, i) => {
        const theirs = hf(c.query, { text_pair: c.document, truncation: true, max_length: maxLength }) as unknown as {
          input_ids: { tolist(): bigint[][] };
          token_type_ids?: { tolist(): bigint[][] };
        };
        const ids = theirs.input_ids.tolist()[0]!.map(Number);
        const types = theirs.token_type_ids ? theirs.token_type_ids.tolist()[0]!.map(Number) : ids.map(() => 0);
        total++;
        const want = expected[i]!;
        if (same(ids, want.ids) && same(types, want.types)) return;
        wrong++;
        const kind =
          ids.length === want.ids.length && same(ids, want.ids) ? 'token types' :
          ids.length > maxLength ? 'not truncated' :
          ids[ids.length - 1] !== want.ids[want.ids.length - 1] ? 'closing special token lost' :
          'different split between the texts';
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      });
    }
    report(`${family.name}: transformers.js pair encoding wrong on ${wrong} of ${total} (${[...kinds].map(([k, n]) => `${k}: ${n}`).join(', ')})`);
    // The corpus has pairs past the limit on both sides, where transformers.js cuts only the tail.
    expect(wrong).toBeGreaterThan(0);
  });
});
