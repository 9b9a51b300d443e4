import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_QUERY } from './args';
import { Bm25Index } from './bm25';
import { loadCorpus, passageText, type Passage } from './corpus';
import { CorpusError } from './errors';

const CORPUS_FILE = path.join(__dirname, 'data', 'passages.jsonl');

describe('the bundled corpus', () => {
  const corpus = loadCorpus(CORPUS_FILE);
  const topics = new Map<string, number>();
  for (const p of corpus) topics.set(p.topic, (topics.get(p.topic) ?? 0) + 1);
  const index = new Bm25Index(corpus.map(passageText));
  const top = (query: string, k: number): Passage[] => index.search(query, k).map((h) => corpus[h.index]!);

  it('holds about 200 short passages with unique ids', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(190);
    expect(corpus.length).toBeLessThanOrEqual(230);
    expect(new Set(corpus.map((p) => p.id)).size).toBe(corpus.length);
    for (const p of corpus) {
      expect(p.text.length).toBeGreaterThan(60);
      expect(p.text.length).toBeLessThan(450);
    }
  });

  it('covers Docker networking and the topics that make near misses', () => {
    expect(topics.get('docker-networking')).toBeGreaterThanOrEqual(20);
    for (const topic of ['kubernetes-networking', 'docker-storage', 'docker-build', 'vm-networking', 'linux-networking']) {
      expect(topics.get(topic) ?? 0).toBeGreaterThanOrEqual(5);
    }
    expect(topics.get('web-frameworks')).toBeGreaterThanOrEqual(25);
    expect(topics.size).toBeGreaterThanOrEqual(15);
  });

  it('gives the default query 20 candidates: Docker networking passages plus near misses from other topics', () => {
    const candidates = top(DEFAULT_QUERY, 20);
    expect(candidates).toHaveLength(20);
    const onTopic = candidates.filter((p) => p.topic === 'docker-networking');
    const nearMisses = candidates.filter((p) => p.topic !== 'docker-networking');
    expect(onTopic.length).toBeGreaterThanOrEqual(10);
    expect(nearMisses.length).toBeGreaterThanOrEqual(3);
    // The passages that best explain how it works are in the pool but not on top: the reranker's job.
    const ids = candidates.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['docker-net-01', 'docker-net-28']));
    expect(ids.indexOf('docker-net-28')).toBeGreaterThan(2);
  });

  it('retrieves the right topic for other questions', () => {
    expect(top('How do Kubernetes Services route traffic to pods?', 3).every((p) => p.topic === 'kubernetes-networking')).toBe(true);
    expect(top('Why is my Docker build cache not reused?', 3).some((p) => p.topic === 'docker-build')).toBe(true);
    expect(top('What does a TLS certificate chain contain?', 1)[0]!.topic).toBe('tls');
  });
});

describe('loadCorpus', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'crossrank-demo-corpus-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (lines: string[]) => {
    const file = path.join(dir, 'passages.jsonl');
    writeFileSync(file, lines.join('\n'));
    return file;
  };
  const line = (p: Record<string, unknown>) => JSON.stringify({ id: 'a', topic: 't', title: 'T', text: 'Some text.', ...p });

  it('reads passages and skips blank lines', () => {
    expect(loadCorpus(write([line({}), '', line({ id: 'b' }), '']))).toEqual([
      { id: 'a', topic: 't', title: 'T', text: 'Some text.' },
      { id: 'b', topic: 't', title: 'T', text: 'Some text.' },
    ]);
  });

  it('names the line that is not JSON, lacks a field or repeats an id', () => {
    expect(() => loadCorpus(write([line({}), '{not json']))).toThrow(/passages\.jsonl:2 is not valid JSON/);
    expect(() => loadCorpus(write([line({ text: '' })]))).toThrow(/passages\.jsonl:1 needs a non-empty string "text"/);
    expect(() => loadCorpus(write([line({}), line({})]))).toThrow(/:2 repeats the id "a"/);
    expect(() => loadCorpus(write(['', '']))).toThrow(CorpusError);
    expect(() => loadCorpus(path.join(dir, 'missing.jsonl'))).toThrow(/Cannot read the demo corpus/);
  });
});
