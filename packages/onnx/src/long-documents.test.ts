import { CrossEncoder } from './cross-encoder';
import { InvalidInputError } from './errors';
import { checkLongDocumentOptions, planWindows } from './long-documents';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

const WORDS = 'river ferry winter bank march notebook kitchen window library flood potatoes vinegar bridge engineers meadow sunset orchard'.split(' ');
function prose(seed: number, words: number): string {
  let x = (seed * 2654435761) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length]! + (x % 7 === 0 ? '.' : ''));
  }
  return out.join(x % 2 ? ' ' : '  ');
}

describe('planWindows', () => {
  const oneEach = (): number => 1;

  it('covers the whole text with windows of at most `window` tokens, stepping by `stride`', () => {
    const text = '  alpha beta\tgamma delta epsilon zeta eta theta iota kappa lambda  ';
    const spans = planWindows(text, oneEach, 4, 2);
    expect(spans[0]!.start).toBe(0);
    expect(spans[spans.length - 1]!.end).toBe(text.length);
    for (const { start, end } of spans) expect(text.slice(start, end).trim().split(/\s+/).length).toBeLessThanOrEqual(4);
    // Every word is inside some window.
    for (const match of text.matchAll(/\S+/g)) {
      expect(spans.some((s) => s.start <= match.index! && match.index! + match[0].length <= s.end)).toBe(true);
    }
    // Consecutive windows overlap by window - stride words.
    expect(text.slice(spans[1]!.start, spans[1]!.end).split(/\s+/)[0]).toBe('gamma');
    expect(spans).toHaveLength(5);
  });

  it('stride = window tiles without overlap or gaps', () => {
    const text = 'a b c d e f g';
    expect(planWindows(text, oneEach, 3, 3).map((s) => text.slice(s.start, s.end))).toEqual(['a b c', 'd e f', 'g']);
  });

  it('weighs words by their token count, and gives an oversized word a window of its own', () => {
    const text = 'short hugeword short short';
    const count = (w: string): number => (w === 'hugeword' ? 10 : 1);
    expect(planWindows(text, count, 3, 1).map((s) => text.slice(s.start, s.end))).toEqual(['short', 'hugeword', 'short short']);
  });

  it('returns the whole text when it fits, and for blank text', () => {
    expect(planWindows('a b', oneEach, 2, 1)).toEqual([{ start: 0, end: 3 }]);
    expect(planWindows('', oneEach, 2, 1)).toEqual([{ start: 0, end: 0 }]);
    expect(planWindows('   ', oneEach, 2, 1)).toEqual([{ start: 0, end: 3 }]);
  });

  it('the number of windows grows linearly with the text', () => {
    const count = (words: number): number => planWindows(prose(1, words), oneEach, 50, 25).length;
    expect(count(1000)).toBeGreaterThanOrEqual(2 * count(500) - 2);
    expect(count(1000)).toBeLessThanOrEqual(2 * count(500) + 2);
  });

  it.each([
    [{ longDocuments: 'chunk' }],
    [{ longDocuments: 'split', window: 0 }],
    [{ longDocuments: 'split', stride: 1.5 }],
    [{ longDocuments: 'split', window: 10, stride: 11 }],
    [{ window: 10 }],
  ])('rejects %j', (options) => {
    expect(() => checkLongDocumentOptions(options as never)).toThrow(InvalidInputError);
  });
});

describe("CrossEncoder longDocuments: 'split'", () => {
  const QUERY = 'when does the ferry cross the river in winter';
  let dir: string;
  let split: CrossEncoder;
  let truncate: CrossEncoder;

  beforeAll(async () => {
    ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny') }));
    [split, truncate] = await Promise.all([
      // In-thread (workers: 0), so the cost test can count the rows fed to ONNX Runtime.
      CrossEncoder.load(dir, { longDocuments: 'split', window: 60, stride: 30, workers: 0 }),
      CrossEncoder.load(dir, { workers: 0 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([split?.dispose(), truncate?.dispose()]);
  });

  it("scores each document by its best window, whose offsets slice the original, scored as that window alone", async () => {
    const documents = [prose(1, 400), prose(2, 30), 'short one', prose(3, 900)];
    const ranked = await split.rerank(QUERY, documents);
    expect(ranked.map((r) => r.index).sort()).toEqual([0, 1, 2, 3]);
    for (const { index, score, span } of ranked) {
      const document = documents[index]!;
      expect(span).toBeDefined();
      const text = document.slice(span!.start, span!.end);
      expect(text.length).toBeGreaterThan(0);
      const [alone] = await truncate.rerank(QUERY, [text]);
      expect(Math.abs(alone!.score - score)).toBeLessThan(1e-4);
      // The best window: no window of this document scores higher.
      const windows = planWindows(document, (w) => (truncate as unknown as { source: { encoder: { encoder: { tokenize(t: string): unknown[] } } } }).source.encoder.encoder.tokenize(w).length, 60, 30);
      const scores = await truncate.predict(windows.map((s) => [QUERY, document.slice(s.start, s.end)] as const));
      expect(Math.max(...scores)).toBeCloseTo(score, 4);
    }
    // Short documents are one window spanning them whole.
    const short = ranked.find((r) => r.index === 2)!;
    expect(short.span).toEqual({ start: 0, end: documents[2]!.length });
  });

  it('a document longer than the model window is read to its end (truncate stops at 512 tokens)', async () => {
    const document = `${prose(5, 700)} ${QUERY} ${QUERY}`;
    const [withSplit] = await split.rerank(QUERY, [document]);
    const [withTruncate] = await truncate.rerank(QUERY, [document]);
    expect(withSplit!.score).not.toBeCloseTo(withTruncate!.score, 3);
    // The last window reaches the end; its score is one of those the maximum was taken over.
    const tokenize = (w: string): number => (truncate as unknown as { source: { encoder: { encoder: { tokenize(t: string): unknown[] } } } }).source.encoder.encoder.tokenize(w).length;
    const last = planWindows(document, tokenize, 60, 30).at(-1)!;
    expect(last.end).toBe(document.length);
    const [lastAlone] = await truncate.predict([[QUERY, document.slice(last.start, last.end)]]);
    expect(withSplit!.score).toBeGreaterThanOrEqual(lastAlone! - 1e-4);
  });

  it('cost grows with the number of windows (pairs fed to the model)', async () => {
    const inner = (split as unknown as { session: { session: { session: { run: (feeds: Record<string, { dims: number[] }>) => Promise<unknown> } } } }).session.session.session;
    const original = inner.run.bind(inner);
    let rows = 0;
    inner.run = (feeds) => {
      rows += feeds['input_ids']!.dims[0]!;
      return original(feeds);
    };
    try {
      const count = async (words: number): Promise<number> => {
        rows = 0;
        await split.rerank(QUERY, [prose(7, words)]);
        return rows;
      };
      const [small, large] = [await count(200), await count(800)];
      expect(large).toBeGreaterThan(3 * small);
    } finally {
      inner.run = original;
    }
  });

  it('memory stays bounded: a 2 MB document runs in window chunks', async () => {
    const huge = prose(11, 300_000);
    const before = process.memoryUsage().heapUsed;
    const [result] = await split.rerank(QUERY, [huge]);
    expect(result!.span!.end).toBeLessThanOrEqual(huge.length);
    // Spans cost two numbers each; encodings are made 1024 windows at a time. Generous bound.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(400 * 1024 * 1024);
  }, 600_000);

  it('leaves truncate mode results without a span', async () => {
    const [result] = await truncate.rerank(QUERY, [prose(1, 400)]);
    expect(result!.span).toBeUndefined();
    expect(truncate.info.longDocuments).toBe('truncate');
  });

  it('rejects bad options at load', async () => {
    await expect(CrossEncoder.load(dir, { longDocuments: 'split', window: -1 })).rejects.toThrow(InvalidInputError);
    await expect(CrossEncoder.load(dir, { stride: 5 })).rejects.toThrow(/only with longDocuments/);
  });
});
