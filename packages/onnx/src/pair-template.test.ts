import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import {
  bertProcessing,
  byteLevelProcessing,
  robertaProcessing,
  sequenceProcessing,
  templateProcessing,
  Tokenizer,
  type Processor,
} from 'tokenizers';
import { CrossrankError, TokenizerNotFoundError } from './errors.js';
import { HfTextTokenizer } from './hf-tokenizer.js';
import { PairEncoder } from './pair-encoder.js';
import { pairTemplateFromPostProcessor, type PairTemplate } from './pair-template.js';

const TOKENIZER_DIR = path.resolve(__dirname, '../../testing/assets/tokenizers/ms-marco-MiniLM-L-6-v2');
const CLS = 101;
const SEP = 102;
const MASK = 103;

type Config = Parameters<typeof pairTemplateFromPostProcessor>[0];

/** The template as `[id or A/B]:type` strings, easy to read in a failure. */
function layout(template: PairTemplate): string[] {
  return template.pieces.map((p) => (p.kind === 'special' ? `${p.id}:${p.typeId}` : `${p.which}:${p.typeId}`));
}

describe('pairTemplateFromPostProcessor', () => {
  it('reads BertProcessing as [CLS] A [SEP] B [SEP] with token types 0 then 1', () => {
    const template = pairTemplateFromPostProcessor({ type: 'BertProcessing', sep: ['[SEP]', SEP], cls: ['[CLS]', CLS] });
    expect(layout(template)).toEqual([`${CLS}:0`, 'A:0', `${SEP}:0`, 'B:1', `${SEP}:1`]);
    expect(template.specialCount).toBe(3);
  });

  it('reads RobertaProcessing as <s> A </s></s> B </s> with a single token type', () => {
    const template = pairTemplateFromPostProcessor({ type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0] });
    expect(layout(template)).toEqual(['0:0', 'A:0', '2:0', '2:0', 'B:0', '2:0']);
    expect(template.specialCount).toBe(4);
  });

  it('reads TemplateProcessing in its own order, including special tokens of several ids', () => {
    const template = pairTemplateFromPostProcessor({
      type: 'TemplateProcessing',
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[END]', type_id: 0 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [CLS] },
        '[SEP]': { id: '[SEP]', ids: [SEP] },
        '[END]': { id: '[END]', ids: [SEP, MASK] },
      },
    });
    expect(layout(template)).toEqual([`${CLS}:0`, 'B:1', `${SEP}:1`, 'A:0', `${SEP}:0`, `${MASK}:0`]);
    expect(template.specialCount).toBe(4);
  });

  it('finds the pair-capable processor inside a Sequence', () => {
    const template = pairTemplateFromPostProcessor({
      type: 'Sequence',
      processors: [{ type: 'ByteLevel' }, { type: 'BertProcessing', sep: ['[SEP]', SEP], cls: ['[CLS]', CLS] }],
    });
    expect(layout(template)).toEqual([`${CLS}:0`, 'A:0', `${SEP}:0`, 'B:1', `${SEP}:1`]);
  });

  it.each<[string, Config, RegExp]>([
    ['no post-processor', null, /no post-processor/],
    ['a ByteLevel post-processor alone', { type: 'ByteLevel' } as Config, /ByteLevel/],
    ['a Sequence without a pair-capable processor', { type: 'Sequence', processors: [{ type: 'ByteLevel' }] }, /Sequence/],
    [
      'a TemplateProcessing without a second sequence',
      { type: 'TemplateProcessing', pair: [{ Sequence: { id: 'A', type_id: 0 } }], special_tokens: {} },
      /TemplateProcessing/,
    ],
    ['a BertProcessing without its separator', { type: 'BertProcessing', cls: ['[CLS]', CLS] }, /BertProcessing/],
  ])('rejects %s with a TokenizerNotFoundError', (_, config, message) => {
    let thrown: unknown;
    try {
      pairTemplateFromPostProcessor(config);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TokenizerNotFoundError);
    expect(thrown).toBeInstanceOf(CrossrankError);
    expect((thrown as TokenizerNotFoundError).code).toBe('CROSSRANK_TOKENIZER_NOT_FOUND');
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('pair templates against the Rust tokenizer', () => {
  let ours: HfTextTokenizer;
  let folder: string;

  beforeAll(async () => {
    ours = new HfTextTokenizer(await AutoTokenizer.from_pretrained(TOKENIZER_DIR, { local_files_only: true }));
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'crossrank-template-'));
  });

  afterAll(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  /**
   * The real BERT tokenizer with another post-processor: Rust writes it to tokenizer.json, we read
   * the template back from that JSON, and both encode the same pairs.
   */
  async function check(name: string, build: (rust: Tokenizer) => void): Promise<PairTemplate> {
    const rust = Tokenizer.fromFile(path.join(TOKENIZER_DIR, 'tokenizer.json'));
    rust.disablePadding();
    build(rust);
    const file = path.join(folder, `${name}.json`);
    rust.save(file);
    const template = pairTemplateFromPostProcessor(JSON.parse(fs.readFileSync(file, 'utf8')).post_processor as Config);
    const pairs: Array<[string, string]> = [
      ['what is a cross encoder', 'A cross-encoder reads the query and the document together.'],
      ['', 'only a document'],
      ['only a query', ''],
      ['long query '.repeat(40), 'long document text '.repeat(60)],
      ['short', 'a much longer document that will need to be cut '.repeat(20)],
    ];
    for (const maxLength of [512, 64, 17, 16]) {
      rust.setTruncation(maxLength, { strategy: 'LongestFirst' as never });
      const encoder = new PairEncoder(ours, template, maxLength);
      for (const [query, document] of pairs) {
        const expected = await rust.encode(query, document);
        const actual = encoder.encode(query, document);
        expect({ maxLength, query, ids: [...actual.inputIds], types: [...actual.tokenTypeIds] }).toEqual({
          maxLength,
          query,
          ids: expected.getIds(),
          types: expected.getTypeIds(),
        });
      }
    }
    return template;
  }

  const bert = (): Processor => bertProcessing(['[SEP]', SEP], ['[CLS]', CLS]);

  it('the real tokenizer.json (TemplateProcessing) gives [CLS] A [SEP] B [SEP], types 0 then 1', async () => {
    const template = await check('as-shipped', () => undefined);
    expect(layout(template)).toEqual([`${CLS}:0`, 'A:0', `${SEP}:0`, 'B:1', `${SEP}:1`]);
    // transformers.js exposes the same post-processor config.
    expect(ours.pairTemplate()).toEqual(template);
  });

  it('BertProcessing', async () => {
    const template = await check('bert', (rust) => rust.setPostProcessor(bert()));
    expect(template.specialCount).toBe(3);
  });

  it('RobertaProcessing (double separator, token types all 0)', async () => {
    const template = await check('roberta', (rust) => rust.setPostProcessor(robertaProcessing(['[SEP]', SEP], ['[CLS]', CLS])));
    expect(template.specialCount).toBe(4);
    expect(template.pieces.every((p) => p.typeId === 0)).toBe(true);
  });

  it('TemplateProcessing with the document first and a two-token special', async () => {
    await check('template', (rust) =>
      rust.setPostProcessor(
        templateProcessing('[CLS] $A [SEP]', '[CLS]:0 $B:1 [SEP]:1 $A:0 [SEP]:0 [MASK]:0', [
          ['[CLS]', CLS],
          ['[SEP]', SEP],
          ['[MASK]', MASK],
        ]),
      ),
    );
  });

  it('a Sequence wrapping ByteLevel and BertProcessing', async () => {
    const template = await check('sequence', (rust) => rust.setPostProcessor(sequenceProcessing([byteLevelProcessing(), bert()])));
    expect(layout(template)).toEqual([`${CLS}:0`, 'A:0', `${SEP}:0`, 'B:1', `${SEP}:1`]);
  });
});
