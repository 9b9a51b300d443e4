import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError, UsageError } from './errors.js';
import { loadCandidates, loadQrels } from './load-inputs.js';
import { fixture } from './test-support.js';

const tmp = mkdtempSync(join(tmpdir(), 'crossrank-cli-inputs-'));
function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('loadCandidates', () => {
  test('reads the JSON fixture into first-stage order', async () => {
    const queries = await loadCandidates({ candidates: fixture('candidates.json'), needTexts: true });
    expect(queries.map((q) => q.qid)).toEqual(['101', '102', '103']);
    expect(queries[0]!.query).toBe('what color is the sky');
    expect(queries[0]!.candidates.map((c) => c.docid)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(queries[0]!.candidates[1]).toEqual({
      docid: 'd2',
      text: 'On a clear day the sky looks blue, because air scatters blue sunlight more than red.',
      rank: 2,
      score: 12.25,
    });
  });

  test.each([
    ['TSV', 'corpus.tsv', 'queries.tsv'],
    ['JSONL', 'corpus.jsonl', 'queries.jsonl'],
  ])('reads the shuffled TREC run with %s texts into the same candidates as the JSON file', async (_format, corpus, queries) => {
    const fromJson = await loadCandidates({ candidates: fixture('candidates.json'), needTexts: true });
    const fromRun = await loadCandidates({
      candidates: fixture('run.trec'),
      corpus: fixture(corpus),
      queries: fixture(queries),
      needTexts: true,
    });
    // Run lines are shuffled in the file (query 102 first): queries follow first appearance,
    // candidates are sorted by rank (d4 and d5 share a score, so only the rank orders them).
    expect(fromRun.map((q) => q.qid)).toEqual(['102', '101', '103']);
    const byQid = new Map(fromJson.map((q) => [q.qid, q]));
    for (const query of fromRun) expect(query).toEqual(byQid.get(query.qid));
  });

  test('reads a TREC run without texts when nothing will be reranked', async () => {
    const queries = await loadCandidates({ candidates: fixture('run.trec'), needTexts: false });
    expect(queries.find((q) => q.qid === '101')!.candidates.map((c) => [c.docid, c.text])).toEqual(
      ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'].map((d) => [d, '']),
    );
  });

  test('detects a JSON candidates file by content when it has another extension', async () => {
    const path = write('candidates.txt', JSON.stringify([{ query: 'q', hits: [{ qid: 1, docid: 'a', content: 'A' }] }]));
    expect((await loadCandidates({ candidates: path, needTexts: true }))[0]!.qid).toBe('1');
  });

  test('asks for --corpus and --queries when a TREC run is to be reranked', async () => {
    const load = loadCandidates({ candidates: fixture('run.trec'), corpus: fixture('corpus.tsv'), needTexts: true });
    await expect(load).rejects.toThrow(UsageError);
    await expect(load).rejects.toThrow(/is a TREC run, which has no texts: pass --corpus .* and --queries/);
  });

  test('refuses --corpus with a JSON candidates file', async () => {
    const load = loadCandidates({ candidates: fixture('candidates.json'), corpus: fixture('corpus.tsv'), needTexts: true });
    await expect(load).rejects.toThrow(UsageError);
    await expect(load).rejects.toThrow(/--corpus and --queries go with a TREC run/);
  });

  test('names documents and queries missing from the texts', async () => {
    const corpus = write('partial-corpus.tsv', 'd1\tone\n');
    const missingDocs = loadCandidates({ candidates: fixture('run.trec'), corpus, queries: fixture('queries.tsv'), needTexts: true });
    await expect(missingDocs).rejects.toThrow(DataFormatError);
    // Examples follow the run: query 102 comes first, its entries in file order.
    await expect(missingDocs).rejects.toThrow(/11 docid\(s\) of .*run\.trec are missing from .*partial-corpus\.tsv \(e\.g\. e3, e1, e2\)/);

    const queries = write('partial-queries.tsv', '101\tsky\n');
    const missingQueries = loadCandidates({ candidates: fixture('run.trec'), corpus: fixture('corpus.tsv'), queries, needTexts: true });
    await expect(missingQueries).rejects.toThrow(/2 qid\(s\) of .* are missing from .*partial-queries\.tsv \(e\.g\. 102, 103\)/);
  });

  test('reports a missing file as a usage error naming the flag', async () => {
    const load = loadCandidates({ candidates: join(tmp, 'nope.json'), needTexts: true });
    await expect(load).rejects.toThrow(UsageError);
    await expect(load).rejects.toThrow(/--candidates .*nope\.json: no such file/);
    await expect(loadCandidates({ candidates: tmp, needTexts: true })).rejects.toThrow(/--candidates .*: not a file/);
    await expect(
      loadCandidates({ candidates: fixture('run.trec'), corpus: join(tmp, 'nope.tsv'), queries: fixture('queries.tsv'), needTexts: true }),
    ).rejects.toThrow(/--corpus .*nope\.tsv: no such file/);
  });
});

describe('loadQrels', () => {
  test('reads the fixture qrels', async () => {
    const qrels = await loadQrels(fixture('qrels.txt'));
    expect([...qrels.keys()]).toEqual(['101', '102', '104']);
    expect(Object.fromEntries(qrels.get('101')!)).toEqual({ d1: 0, d2: 3, d4: 1, d5: 0, d6: 2 });
  });

  test('reports a missing file as a usage error', async () => {
    await expect(loadQrels(join(tmp, 'none.txt'))).rejects.toThrow(/--qrels .*none\.txt: no such file/);
  });
});
