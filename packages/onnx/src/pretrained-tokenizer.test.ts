// The engine builds its tokenizer from the model's files with @huggingface/tokenizers, as
// transformers.js 4.3 does inside `AutoTokenizer.from_pretrained`. The tokenizer fidelity suites
// (tokenizer-families, pair-encoder, pair-prefix) hold transformers.js's tokenizer to the Rust one;
// this suite holds ours to transformers.js's, id for id, so those results carry over.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { xlmRobertaTokenizerConfig, xlmRobertaTokenizerFromUnigram } from '@crossrank/testing';
import { TokenizerNotFoundError } from './errors';
import { fidelityCases } from './fidelity-cases';
import { HfTextTokenizer } from './hf-tokenizer';
import { loadPretrainedTokenizer } from './pretrained-tokenizer';

const ASSETS = path.resolve(__dirname, '../../testing/assets/tokenizers');
const FIXTURES = path.resolve(__dirname, '../test-fixtures/tokenizers');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'crossrank-pretrained-tokenizer-'));
  const dir = path.join(tmp, 'xlm-roberta-from-t5');
  mkdirSync(dir);
  const source = JSON.parse(readFileSync(path.join(ASSETS, 't5-small', 'tokenizer.json'), 'utf8'));
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(xlmRobertaTokenizerFromUnigram(source)));
  writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(xlmRobertaTokenizerConfig(512)));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FOLDERS: Array<[string, () => string]> = [
  ['ms-marco-MiniLM-L-6-v2 (BERT WordPiece)', () => path.join(ASSETS, 'ms-marco-MiniLM-L-6-v2')],
  ['t5-small (SentencePiece Unigram)', () => path.join(ASSETS, 't5-small')],
  ['XLM-R template over t5-small pieces', () => path.join(tmp, 'xlm-roberta-from-t5')],
  ['roberta-base (byte-level BPE)', () => path.join(FIXTURES, 'roberta-base')],
  ['ModernBERT-base (byte-level BPE)', () => path.join(FIXTURES, 'ModernBERT-base')],
];

describe.each(FOLDERS)('%s', (_name, folder) => {
  it('encodes fidelity texts to the ids transformers.js gives, with the same limit and pad id', async () => {
    const dir = folder();
    const theirs = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    const ours = await loadPretrainedTokenizer(path.join(dir, 'tokenizer.json'), path.join(dir, 'tokenizer_config.json'));
    // Every fifth distinct text of the fidelity corpus: all its kinds (short, long, scripts, pitfalls) in a fifth of the time.
    const texts = new Set([...new Set(fidelityCases().flatMap((c) => [c.query, c.document]))].filter((_, i) => i % 5 === 0));
    // Joined ids compared as strings: jest's deep equality is slow on thousands of long id arrays.
    const differing = [...texts].filter((text) => ours.encode(text, { add_special_tokens: false }).join() !== theirs.encode(text, { add_special_tokens: false }).join());
    expect(texts.size).toBeGreaterThan(50);
    expect(differing).toEqual([]);
    expect(ours.pad_token_id).toBe(theirs.pad_token_id);
    expect(ours.model_max_length ?? Infinity).toBe(theirs.model_max_length);
  });

  it('gives the engine the same tokens and pair template as a transformers.js tokenizer does', async () => {
    const dir = folder();
    const theirs = new HfTextTokenizer(await AutoTokenizer.from_pretrained(dir, { local_files_only: true }));
    const ours = new HfTextTokenizer(await loadPretrainedTokenizer(path.join(dir, 'tokenizer.json'), path.join(dir, 'tokenizer_config.json')));
    expect(ours.pairTemplate()).toEqual(theirs.pairTemplate());
    expect(ours.modelMaxLength()).toBe(theirs.modelMaxLength());
    for (const c of fidelityCases().slice(0, 40)) {
      for (const text of [c.query, c.document]) {
        const tokens = ours.tokenize(text);
        expect(Array.from(tokens).join()).toBe(Array.from(theirs.tokenize(text)).join());
        expect(ours.lengthWithLimit(tokens, 9)).toBe(theirs.lengthWithLimit(theirs.tokenize(text), 9));
      }
    }
  });
});

it('loads without a tokenizer_config.json (optional on the hub), with no limit or pad token from it', async () => {
  const ours = await loadPretrainedTokenizer(path.join(ASSETS, 'ms-marco-MiniLM-L-6-v2', 'tokenizer.json'), undefined);
  expect(ours.model_max_length).toBeUndefined();
  expect(ours.pad_token_id).toBeUndefined();
  expect(ours.encode('hello world', { add_special_tokens: false }).length).toBe(2);
});

it.each([
  ['missing', undefined, /Could not read the tokenizer file .*tokenizer\.json/],
  ['not JSON', '{"model":', /Could not read the tokenizer file .*tokenizer\.json/],
  ['not an object', '[1]', /tokenizer\.json must hold a JSON object/],
  ['not a tokenizer', '{"model": {"type": "Nonsense"}}', /Could not build the tokenizer from .*tokenizer\.json/],
])('a tokenizer.json that is %s is a TokenizerNotFoundError naming the file', async (_what, text, message) => {
  const dir = mkdtempSync(path.join(tmp, 'broken-'));
  if (text !== undefined) writeFileSync(path.join(dir, 'tokenizer.json'), text);
  const error = await loadPretrainedTokenizer(path.join(dir, 'tokenizer.json'), undefined).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TokenizerNotFoundError);
  expect((error as Error).message).toMatch(message);
});
