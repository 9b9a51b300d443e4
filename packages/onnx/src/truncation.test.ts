import path from 'node:path';
import { Tokenizer, type Encoding } from 'tokenizers';
import { longestFirstLengths } from './truncation.js';

describe('longestFirstLengths', () => {
  it('keeps both texts when they fit', () => {
    expect(longestFirstLengths(3, 4, 7)).toEqual([3, 4]);
    expect(longestFirstLengths(0, 0, 0)).toEqual([0, 0]);
    expect(longestFirstLengths(0, 509, 509)).toEqual([0, 509]);
  });

  it('cuts only the longer text while the shorter fits in what is left', () => {
    expect(longestFirstLengths(3, 20, 10)).toEqual([3, 7]);
    expect(longestFirstLengths(20, 3, 10)).toEqual([7, 3]);
    expect(longestFirstLengths(0, 600, 509)).toEqual([0, 509]);
    expect(longestFirstLengths(4, 20, 8)).toEqual([4, 4]);
  });

  it('halves the budget when both must be cut, the odd token going to the longer text (the second on a tie)', () => {
    expect(longestFirstLengths(20, 20, 7)).toEqual([3, 4]);
    expect(longestFirstLengths(21, 20, 7)).toEqual([4, 3]);
    expect(longestFirstLengths(20, 21, 7)).toEqual([3, 4]);
    expect(longestFirstLengths(300, 900, 509)).toEqual([254, 255]);
    expect(longestFirstLengths(900, 300, 509)).toEqual([255, 254]);
    expect(longestFirstLengths(20, 30, 8)).toEqual([4, 4]);
  });

  it('keeps nothing with a budget of 0', () => {
    expect(longestFirstLengths(5, 9, 0)).toEqual([0, 0]);
  });

  it('always fills the budget, never keeps more than a text has, and keeps the shorter whole when it fits in half', () => {
    const violations: string[] = [];
    for (let a = 0; a <= 40; a++) {
      for (let b = 0; b <= 40; b++) {
        for (let budget = 0; budget <= 30; budget++) {
          const [keepA, keepB] = longestFirstLengths(a, b, budget);
          const shorter = Math.min(a, b);
          const ok =
            keepA + keepB === Math.min(a + b, budget) &&
            keepA >= 0 && keepA <= a && keepB >= 0 && keepB <= b &&
            (a + b <= budget ||
              (shorter <= budget - shorter
                ? (a <= b ? keepA : keepB) === shorter
                : Math.min(keepA, keepB) === Math.floor(budget / 2) && Math.max(keepA, keepB) === Math.ceil(budget / 2)));
          if (!ok) violations.push(`${a}+${b} @${budget} -> ${keepA}+${keepB}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});

describe('longestFirstLengths against the Rust tokenizer, exhaustively', () => {
  const TOKENIZER = path.resolve(__dirname, '../../testing/assets/tokenizers/ms-marco-MiniLM-L-6-v2/tokenizer.json');
  const MAX_WORDS = 20;
  const SPECIAL = 3; // [CLS] A [SEP] B [SEP]
  let rust: Tokenizer;
  const first: Encoding[] = [];
  const second: Encoding[] = [];

  beforeAll(async () => {
    rust = Tokenizer.fromFile(TOKENIZER);
    rust.disablePadding();
    rust.disableTruncation();
    // 'cat' and 'dog' are one token each, so n words are n tokens.
    for (let n = 0; n <= MAX_WORDS; n++) {
      first.push(await rust.encode(Array(n).fill('cat').join(' '), null, { addSpecialTokens: false }));
      second.push(await rust.encode(Array(n).fill('dog').join(' '), null, { addSpecialTokens: false }));
    }
  });

  it('agrees for every n1, n2 in 0..20 at every budget 0..15', () => {
    expect(first.map((e) => e.getLength())).toEqual(Array.from({ length: MAX_WORDS + 1 }, (_, n) => n));
    const disagreements: string[] = [];
    let compared = 0;
    for (let budget = 0; budget <= 15; budget++) {
      rust.setTruncation(budget + SPECIAL, { strategy: 'LongestFirst' as never });
      for (let a = 0; a <= MAX_WORDS; a++) {
        for (let b = 0; b <= MAX_WORDS; b++) {
          // postProcess runs Rust's truncate_encodings on whole encodings: the algorithm alone,
          // without tokenizers 0.23's early exit (pair-encoder.test.ts covers that).
          const types = rust.postProcess(first[a]!, second[b]!, true).getTypeIds();
          const rustKeeps = [types.filter((t) => t === 0).length - 2, types.filter((t) => t === 1).length - 1];
          const ours = longestFirstLengths(a, b, budget);
          compared++;
          if (ours[0] !== rustKeeps[0] || ours[1] !== rustKeeps[1]) disagreements.push(`${a}+${b} @${budget}: ours ${ours}, rust ${rustKeeps}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBe(16 * 21 * 21);
  });
});
