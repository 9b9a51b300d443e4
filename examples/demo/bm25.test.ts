import { InvalidInputError } from '@crossrank/core';
import { Bm25Index, stem, tokenize } from './bm25';

describe('tokenize', () => {
  it('lower-cases, drops question words and stems so word forms meet', () => {
    expect(tokenize('How does Docker networking work?')).toEqual(['docker', 'network', 'work']);
    expect(new Set(['network', 'networks', 'networking', 'Networked'].map((w) => tokenize(w)[0])).size).toBe(1);
    expect(new Set(['cache', 'cached', 'caching', 'caches'].map(stem)).size).toBe(1);
    expect(new Set(['bridge', 'bridges', 'bridged'].map(stem)).size).toBe(1);
  });

  it('keeps short words and words that only look plural', () => {
    expect(tokenize('DNS over TLS')).toEqual(['dns', 'over', 'tls']);
    expect(['address', 'status', 'alias'].map(stem)).toEqual(['address', 'status', 'alias']);
    expect(tokenize('the ip of docker0 is 172.17.0.1')).toEqual(['ip', 'docker0', '172', '17', '0', '1']);
  });
});

describe('Bm25Index', () => {
  // Toy corpus, tokens after stemming: [docker, network, bridg], [docker, volum], [network, network, switch].
  const docs = ['Docker network bridge', 'Docker volumes', 'networks network switch'];
  // N = 3 documents, average length 8/3; "docker" and "network" each occur in 2 documents.
  const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5)); // ln 1.6
  const norm3 = 1.2 * (1 - 0.75 + (0.75 * 3) / (8 / 3)); // length-3 documents: 1.3125
  const norm2 = 1.2 * (1 - 0.75 + (0.75 * 2) / (8 / 3)); // length-2 document: 0.975

  it('scores documents by hand-computed Okapi BM25 (k1 1.2, b 0.75) and ranks them', () => {
    const hits = new Bm25Index(docs).search('docker network', 10);
    expect(hits.map((h) => h.index)).toEqual([0, 2, 1]);
    expect(hits[0]!.score).toBeCloseTo(2 * idf * (2.2 / (1 + norm3)), 10);
    expect(hits[1]!.score).toBeCloseTo(idf * ((2 * 2.2) / (2 + norm3)), 10);
    expect(hits[2]!.score).toBeCloseTo(idf * (2.2 / (1 + norm2)), 10);
  });

  it('returns only documents sharing a term with the query, at most k of them', () => {
    const index = new Bm25Index(docs);
    expect(index.search('volume', 10)).toEqual([{ index: 1, score: expect.any(Number) }]);
    expect(index.search('docker network', 2).map((h) => h.index)).toEqual([0, 2]);
    expect(index.search('kubernetes', 5)).toEqual([]);
    expect(index.search('how does it work?', 5)).toEqual([]);
  });

  it('counts a repeated query term once', () => {
    const index = new Bm25Index(docs);
    expect(index.search('docker docker dockers', 10)).toEqual(index.search('docker', 10));
  });

  it('breaks ties by document order, and b = 0 ignores document length', () => {
    const index = new Bm25Index(['alpha beta gamma delta', 'alpha'], { b: 0 });
    const hits = index.search('alpha', 10);
    expect(hits.map((h) => h.index)).toEqual([0, 1]);
    expect(hits[0]!.score).toBe(hits[1]!.score);
    // With length normalisation the short document wins.
    expect(new Bm25Index(['alpha beta gamma delta', 'alpha']).search('alpha', 10).map((h) => h.index)).toEqual([1, 0]);
  });

  it('keeps idf positive for a term every document contains', () => {
    const hits = new Bm25Index(['docker one', 'docker two']).search('docker', 10);
    expect(hits).toHaveLength(2);
    expect(hits.every((h) => h.score > 0)).toBe(true);
  });

  it('rejects a non-positive k and bad parameters with InvalidInputError', () => {
    const index = new Bm25Index(docs);
    expect(() => index.search('docker', 0)).toThrow(InvalidInputError);
    expect(() => index.search('docker', 1.5)).toThrow(/positive integer/);
    expect(() => new Bm25Index(docs, { b: 2 })).toThrow(InvalidInputError);
  });

  it('handles an empty corpus', () => {
    expect(new Bm25Index([]).search('docker', 3)).toEqual([]);
  });
});
