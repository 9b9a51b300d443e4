import { parseCandidatesJson } from './candidates-json.js';
import { DataFormatError } from './errors.js';

describe('parseCandidatesJson', () => {
  test('reads rank_llm-style entries, taking the qid from the hits', () => {
    const text = JSON.stringify([
      { query: 'q one', hits: [{ qid: 7, docid: 'a', content: 'A', rank: 1, score: 2.5 }, { qid: 7, docid: 3, content: 'B', rank: 2, score: 1 }] },
    ]);
    expect(parseCandidatesJson(text, 'c.json')).toEqual([
      {
        qid: '7',
        query: 'q one',
        candidates: [
          { docid: 'a', text: 'A', rank: 1, score: 2.5 },
          { docid: '3', text: 'B', rank: 2, score: 1 },
        ],
      },
    ]);
  });

  test('takes the qid from the entry, text/contents for content, and defaults rank to position and score to 0', () => {
    const text = JSON.stringify([{ qid: 'q', query: 'Q', hits: [{ docid: 'a', text: 'A' }, { docid: 'b', contents: 'B' }] }]);
    expect(parseCandidatesJson(text, 'c.json')[0]!.candidates).toEqual([
      { docid: 'a', text: 'A', rank: 1, score: 0 },
      { docid: 'b', text: 'B', rank: 2, score: 0 },
    ]);
  });

  test('skips an entry with no hits and no qid (nothing to rerank)', () => {
    expect(parseCandidatesJson(JSON.stringify([{ query: 'empty', hits: [] }]), 'c.json')).toEqual([]);
  });

  const hit = { qid: 1, docid: 'a', content: 'A', rank: 1, score: 1 };
  test.each([
    ['invalid JSON', '[{', /c\.json: not valid JSON/],
    ['a top level that is not an array', '{}', /c\.json: expected an array/],
    ['an entry without hits', JSON.stringify([{ query: 'q' }]), /entry 0: expected \{ query: string, hits/],
    ['hits without any qid', JSON.stringify([{ query: 'q', hits: [{ docid: 'a', content: 'A' }] }]), /entry 0: no qid/],
    ['a query that appears twice', JSON.stringify([{ query: 'q', hits: [hit] }, { query: 'q', hits: [hit] }]), /entry 1: query 1 appears twice/],
    ['a hit whose qid differs', JSON.stringify([{ qid: 2, query: 'q', hits: [hit] }]), /hits\[0\]: qid 1 differs from the entry's qid 2/],
    ['a hit without docid', JSON.stringify([{ query: 'q', hits: [{ ...hit, docid: undefined }] }]), /hits\[0\]: missing docid/],
    ['a hit without text', JSON.stringify([{ query: 'q', hits: [{ ...hit, content: undefined }] }]), /hits\[0\]: missing the passage text/],
    ['a repeated document', JSON.stringify([{ query: 'q', hits: [hit, hit] }]), /hits\[1\]: document a is listed twice/],
    ['a rank that is not a number', JSON.stringify([{ query: 'q', hits: [{ ...hit, rank: '1' }] }]), /hits\[0\]: rank must be a number/],
    ['a score that is not a number', JSON.stringify([{ query: 'q', hits: [{ ...hit, score: null }] }]), /hits\[0\]: score must be a number/],
  ])('rejects %s with a DataFormatError', (_what, text, message) => {
    expect(() => parseCandidatesJson(text, 'c.json')).toThrow(DataFormatError);
    expect(() => parseCandidatesJson(text, 'c.json')).toThrow(message);
  });
});
