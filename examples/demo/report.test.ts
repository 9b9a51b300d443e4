import type { Passage } from './corpus';
import { formatCandidates, formatLatency, formatReranked, movement, wrap, type Candidate, type RerankedPassage } from './report';

const passage = (id: string, text = `Text of ${id}.`): Passage => ({ id, topic: 't', title: `Title ${id}`, text });

describe('movement', () => {
  it('shows places gained, lost or kept', () => {
    expect(movement(8, 1)).toBe('↑7');
    expect(movement(2, 3)).toBe('↓1');
    expect(movement(3, 3)).toBe('=');
  });
});

describe('formatCandidates / formatReranked', () => {
  const candidates: Candidate[] = ['a', 'b', 'c', 'd'].map((id, i) => ({ rank: i + 1, passage: passage(id), bm25: 4 - i / 2 }));
  const reranked: RerankedPassage[] = [
    { rank: 1, was: 4, score: 0.98765, passage: candidates[3]!.passage },
    { rank: 2, was: 1, score: 0.5, passage: candidates[0]!.passage },
  ];

  it('lists every candidate with its BM25 score and marks where the kept ones went', () => {
    const lines = formatCandidates('q?', candidates, reranked, 200, 100).split('\n');
    expect(lines[0]).toBe('BM25: top 4 of 200 passages for "q?"');
    expect(lines).toHaveLength(2 + 4);
    expect(lines[2]).toMatch(/^\s+1\s+a\s+4\.00\s+→ 2\s+Title a: Text of a\.$/);
    expect(lines[3]).toMatch(/^\s+2\s+b\s+3\.50\s+Title b/);
    expect(lines[5]).toMatch(/^\s+4\s+d\s+2\.50\s+→ 1\s+Title d/);
  });

  it('lists the reranked passages with old rank, movement and score', () => {
    const lines = formatReranked(reranked, 'some-model (q8)', 100).split('\n');
    expect(lines[0]).toBe('Reranked: top 2 by some-model (q8)');
    expect(lines[2]).toMatch(/^\s+1\s+4\s+↑3\s+0\.9877\s+d\s+Title d/);
    expect(lines[3]).toMatch(/^\s+2\s+1\s+↓1\s+0\.5000\s+a\s+Title a/);
  });

  it('cuts long passages to the width with an ellipsis', () => {
    const long: Candidate[] = [{ rank: 1, passage: passage('x', 'word '.repeat(100)), bm25: 1 }];
    const row = formatCandidates('q', long, [], 1, 80).split('\n')[2]!;
    expect(row.length).toBeLessThanOrEqual(80);
    expect(row.endsWith('…')).toBe(true);
  });
});

describe('formatLatency', () => {
  const base = { retrievalMs: 0.42, indexMs: 3.3, corpusSize: 202, candidates: 20, rerankMs: 45.67, loadMs: 812.4 };

  it('reports retrieval, rerank (load separately) and a skipped generation', () => {
    const text = formatLatency({ ...base, generation: { kind: 'skipped' } });
    expect(text).toMatch(/retrieval\s+0\.4 ms\s+BM25 over 202 passages \(index built once in 3\.3 ms\)/);
    expect(text).toMatch(/rerank\s+45\.7 ms\s+20 pairs through the cross-encoder \(model load 812 ms, not counted\)/);
    expect(text).toMatch(/generation\s+skipped\s+set OPENAI_API_KEY to generate an answer/);
  });

  it('reports generation time when it ran or failed', () => {
    expect(formatLatency({ ...base, generation: { kind: 'done', ms: 1234.5 } })).toMatch(/generation\s+1235 ms\s+gpt-4o-mini/);
    expect(formatLatency({ ...base, generation: { kind: 'failed', ms: 20 } })).toMatch(/generation\s+20\.0 ms\s+failed/);
  });
});

describe('wrap', () => {
  it('wraps words to the width and keeps paragraphs', () => {
    expect(wrap('one two three four\nfive', 12, '  ')).toBe('  one two\n  three four\n  five');
  });
});
