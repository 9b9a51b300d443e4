// Issue 12, item 3: PairEncoder tokenizes only a prefix of a long text. Proof that this changes no
// id: against the Rust tokenizer's full tokenization + longest_first truncation (documents up to
// 10 MB, the fidelity corpus), and for every tokenizer family at hand, that a prefix's ids are the
// first ids of the whole text.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, PreTrainedTokenizer } from '@huggingface/transformers';
import { Tokenizer } from 'tokenizers';
import { fidelityCases, seededRandom } from './fidelity-cases.js';
import { HfTextTokenizer } from './hf-tokenizer.js';
import { PairEncoder } from './pair-encoder.js';

const ASSETS = path.resolve(__dirname, '../../testing/assets/tokenizers');
// Tokenizer families beyond BERT: in the repo (test-fixtures/, t5-small in @crossrank/testing's
// assets), else in ../shared beside the clone, or wherever CROSSRANK_SHARED_DIR points.
const FIXTURES = path.resolve(__dirname, '../test-fixtures/tokenizers');
const SHARED = path.join(process.env['CROSSRANK_SHARED_DIR'] ?? path.resolve(__dirname, '../../../../shared'), 'data/tokenizers');
const FAMILIES = ['ms-marco-MiniLM-L-6-v2', 'roberta-base', 't5-small', 'ModernBERT-base'];

const cases = fidelityCases();
const texts = [...new Set(cases.flatMap((c) => [c.query, c.document]))];

/** A long document made of the corpus's texts in a seeded order, at least `chars` long. */
function longDocument(chars: number, seed: number): string {
  const random = seededRandom(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const part = texts[Math.floor(random() * texts.length)]!;
    parts.push(part);
    length += part.length + 1;
  }
  return parts.join(random() < 0.5 ? ' ' : '\n');
}

describe('BERT (ms-marco-MiniLM-L-6-v2): ids equal Rust full tokenization + longest_first', () => {
  const dir = path.join(ASSETS, 'ms-marco-MiniLM-L-6-v2');
  let ours: HfTextTokenizer;
  let rust: Tokenizer;

  beforeAll(async () => {
    ours = new HfTextTokenizer(await AutoTokenizer.from_pretrained(dir, { local_files_only: true }));
    rust = Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
    rust.disablePadding();
  });

  async function rustPair(query: string, document: string, maxLength: number): Promise<number[]> {
    rust.setTruncation(maxLength, { strategy: 'LongestFirst' as never });
    return (await rust.encode(query, document)).getIds();
  }

  // Rust itself needs ~5 s per MB here (it builds every overflow chunk), so CI checks 1 MB;
  // CROSSRANK_PREFIX_MB=10 runs the 10 MB check (done for issue 12: it passes).
  const megabytes = Number(process.env['CROSSRANK_PREFIX_MB'] ?? 1);
  it(`a ${megabytes} MB document: same ids, from a prefix of a few KB`, async () => {
    const document = longDocument(megabytes * 1024 * 1024, 7);
    const encoder = new PairEncoder(ours, ours.pairTemplate(), 512);
    const tokens = encoder.tokenize(document);
    expect(tokens.length).toBeGreaterThanOrEqual(512);
    expect(tokens.length).toBeLessThan(20_000);
    for (const query of ['what froze early that winter', cases.find((c) => c.label.startsWith('long-short'))!.query]) {
      expect([...encoder.encode(query, document).inputIds]).toEqual(await rustPair(query, document, 512));
    }
  }, 600_000);

  it('every fidelity pair with its document made long: same ids at maxLength 512, 511 and 33', async () => {
    const mismatches: string[] = [];
    // Every pair at 33; at 512 and 511 a quarter each (Rust takes ~30 ms per 10 KB document).
    for (const [maxLength, every, offset] of [[512, 4, 0], [511, 4, 1], [33, 1, 0]] as const) {
      const encoder = new PairEncoder(ours, ours.pairTemplate(), maxLength);
      for (const [i, c] of cases.entries()) {
        if (i % every !== offset) continue;
        // The corpus document first, then filler: the cut falls anywhere in the corpus's text.
        const document = `${c.document} ${longDocument(maxLength * 20, i)}`;
        const query = i % 5 === 0 ? `${c.query} ${longDocument(maxLength * 20, i + 1)}` : c.query;
        const expected = await rustPair(query, document, maxLength);
        const actual = [...encoder.encode(query, document).inputIds];
        if (actual.join() !== expected.join()) mismatches.push(`${c.label} @${maxLength}`);
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
  }, 600_000);

  it('with earlyExit: false (tokenizers 0.22), both texts long and an odd budget: whole lengths decide, like Rust', async () => {
    const encoder = new PairEncoder(ours, ours.pairTemplate(), 10, { earlyExit: false });
    for (let seed = 0; seed < 30; seed++) {
      // Just past the 160 characters (2 x 8 per token of maxLength 10) where prefixes start; kept
      // short because Rust's 0.22-style truncation builds every pair of overflow chunks.
      const query = longDocument(170, seed).slice(0, 170 + seed);
      const document = longDocument(170, seed + 100).slice(0, 170 + seed * 3);
      rust.disableTruncation();
      const [q, d] = await rust.encodeBatch([query, document], { addSpecialTokens: false });
      rust.setTruncation(10, { strategy: 'LongestFirst' as never });
      const expected = rust.postProcess(q!, d!, true).getIds();
      expect([...encoder.encode(query, document).inputIds]).toEqual(expected);
    }
  });
});

describe.each(FAMILIES.map((name) => [name, [path.join(ASSETS, name), path.join(FIXTURES, name), path.join(SHARED, name)].find((dir) => existsSync(path.join(dir, 'tokenizer.json')))] as const).filter(([, dir]) => dir !== undefined))(
  '%s: a prefix cut by prefixCut tokenizes to the first ids of the whole text',
  (_name, dir) => {
    let ours: HfTextTokenizer;
    let rust: Tokenizer;

    beforeAll(() => {
      const json = JSON.parse(readFileSync(path.join(dir!, 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
      const configFile = path.join(dir!, 'tokenizer_config.json');
      const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>) : {};
      ours = new HfTextTokenizer(new PreTrainedTokenizer(json, config));
      rust = Tokenizer.fromFile(path.join(dir!, 'tokenizer.json'));
      rust.disablePadding();
      rust.disableTruncation();
    });

    it('at seeded cuts in every fidelity text (ours whole vs ours prefix, and Rust where transformers.js agrees with it)', async () => {
      const problems: string[] = [];
      let checked = 0;
      let rustChecked = 0;
      for (const [i, text] of texts.entries()) {
        const whole = ours.tokenize(text);
        const rustWhole = (await rust.encode(text, null, { addSpecialTokens: false })).getIds();
        const agreesWithRust = rustWhole.join() === [...whole].join();
        // Two cuts per text at seeded places: every text, every family, in seconds.
        const random = seededRandom(i + 1);
        for (let k = 0; k < 2; k++) {
          const cut = ours.prefixCut(text, Math.floor(random() * text.length));
          if (cut === undefined) continue;
          const prefix = text.slice(0, cut);
          const ids = [...ours.tokenize(prefix)];
          checked++;
          if (ids.join() !== [...whole].slice(0, ids.length).join()) problems.push(`ours ${JSON.stringify(prefix.slice(-30))} in text ${i}`);
          if (agreesWithRust) {
            rustChecked++;
            const rustPrefix = (await rust.encode(prefix, null, { addSpecialTokens: false })).getIds();
            if (rustPrefix.join() !== rustWhole.slice(0, rustPrefix.length).join()) problems.push(`rust ${JSON.stringify(prefix.slice(-30))} in text ${i}`);
          }
        }
      }
      expect(problems.slice(0, 20)).toEqual([]);
      expect(checked).toBeGreaterThan(300);
      expect(rustChecked).toBeGreaterThan(0);
    }, 600_000);
  },
);
