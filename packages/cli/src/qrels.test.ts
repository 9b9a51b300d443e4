import { DataFormatError } from './errors.js';
import { parseQrels } from './qrels.js';

describe('parseQrels', () => {
  test('reads TREC qrels, ignoring the iteration column, blank lines and comments', () => {
    const qrels = parseQrels('# judged by NIST\n1 0 a 2\n1 Q0 b 0\r\n\n2 0 a 3\n', 'q.txt');
    expect([...qrels.keys()]).toEqual(['1', '2']);
    expect([...qrels.get('1')!]).toEqual([
      ['a', 2],
      ['b', 0],
    ]);
    expect(qrels.get('2')!.get('a')).toBe(3);
  });

  test('reads the 3-column BEIR form with its header', () => {
    const qrels = parseQrels('query-id\tcorpus-id\tscore\nq1\tdoc1\t1\nq1\tdoc2\t0\n', 'test.tsv');
    expect([...qrels.get('q1')!]).toEqual([
      ['doc1', 1],
      ['doc2', 0],
    ]);
  });

  test('keeps negative grades (trec_eval treats them as non-relevant)', () => {
    expect(parseQrels('1 0 spam -2\n', 'q').get('1')!.get('spam')).toBe(-2);
  });

  test.each([
    ['a wrong column count', '1 0 a\n1 0 b 2 extra\n', /q\.txt:2: expected "qid 0 docid grade"/],
    ['a grade that is not a number', '1 0 a high\n', /q\.txt:1: the grade "high" is not a number/],
    ['a pair judged twice', '1 0 a 1\n1 0 a 2\n', /q\.txt:2: query 1 judges document a twice/],
    ['no judgments at all', '\n# nothing\n', /q\.txt holds no judgments/],
  ])('rejects %s with a DataFormatError naming the line', (_what, text, message) => {
    expect(() => parseQrels(text, 'q.txt')).toThrow(DataFormatError);
    expect(() => parseQrels(text, 'q.txt')).toThrow(message);
  });
});
