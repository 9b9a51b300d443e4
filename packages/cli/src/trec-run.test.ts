import { DataFormatError } from './errors.js';
import { parseTrecRun } from './trec-run.js';

describe('parseTrecRun', () => {
  test('groups entries by query in first-appearance order, keeping file order within a query', () => {
    const run = parseTrecRun('2 Q0 x 1 3.5 bm25\n1 Q0 b 2 1.25 bm25\n1 Q0 a 1 2 bm25\n', 'run.trec');
    expect([...run.keys()]).toEqual(['2', '1']);
    expect(run.get('1')).toEqual([
      { docid: 'b', rank: 2, score: 1.25 },
      { docid: 'a', rank: 1, score: 2 },
    ]);
  });

  test('accepts a missing tag column, tabs, CRLF and comments', () => {
    const run = parseTrecRun('# header\r\n7\tQ0\td\t1\t-0.5\r\n', 'run');
    expect(run.get('7')).toEqual([{ docid: 'd', rank: 1, score: -0.5 }]);
  });

  test.each([
    ['a wrong column count', '1 Q0 a 1\n', /run:1: expected "qid Q0 docid rank score tag"/],
    ['a rank that is not a number', '1 Q0 a first 1 t\n', /run:1: the rank "first" is not a number/],
    ['a score that is not a number', '1 Q0 a 1 NaN t\n', /run:1: the score "NaN" is not a number/],
    ['a document listed twice for a query', '1 Q0 a 1 2 t\n1 Q0 a 2 1 t\n', /run:2: query 1 lists document a twice/],
    ['an empty file', '\n', /run holds no results/],
  ])('rejects %s with a DataFormatError', (_what, text, message) => {
    expect(() => parseTrecRun(text, 'run')).toThrow(DataFormatError);
    expect(() => parseTrecRun(text, 'run')).toThrow(message);
  });
});
