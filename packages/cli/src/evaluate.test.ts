import type { Reranker } from '@crossrank/core';
import { evaluateReranker } from './evaluate.js';
import { loadCandidates, loadQrels } from './load-inputs.js';
import { selectJudgedQueries } from './select-queries.js';
import { OracleReranker, fixture, rank } from './test-support.js';

const log2 = Math.log2;
// The fixture's expected figures, worked out by hand (see fixtures/README.md for the grades).
// Query 101, first-stage order d1..d6, gains 0 3 0 1 0 2 (d3 unjudged):
//   DCG@10 = 3/log2(3) + 1/log2(5) + 2/log2(7); ideal gains 3 2 1 -> 3 + 2/log2(3) + 1/log2(4).
//   Relevant at grade >= 2: d2 (rank 2) and d6 (rank 6): RR = 1/2, R@1 = 0, R@3 = 1/2, R@10 = 1.
// Query 102, order e1..e4, gains 1 0 3 2:
//   DCG@10 = 1 + 3/log2(4) + 2/log2(5); ideal gains 3 2 1 -> same ideal as 101.
//   Relevant: e3 (rank 3), e4 (rank 4): RR = 1/3, R@1 = 0, R@3 = 1/2, R@10 = 1.
const IDEAL = 3 + 2 / log2(3) + 1 / log2(4);
const NDCG_101 = (3 / log2(3) + 1 / log2(5) + 2 / log2(7)) / IDEAL;
const NDCG_102 = (1 + 3 / log2(4) + 2 / log2(5)) / IDEAL;
const spec = { recallDepths: [1, 3, 10], relLevel: 2 };

async function loadFixture() {
  const qrels = await loadQrels(fixture('qrels.txt'));
  const candidates = await loadCandidates({ candidates: fixture('candidates.json'), needTexts: true });
  return { qrels, candidates, selected: selectJudgedQueries(candidates, qrels).selected };
}

describe('selectJudgedQueries', () => {
  test('keeps judged queries with candidates and counts the rest, as trec_eval does', async () => {
    const { qrels, candidates } = await loadFixture();
    const selection = selectJudgedQueries(candidates, qrels);
    expect(selection.selected.map((q) => q.qid)).toEqual(['101', '102']);
    expect(selection.unjudged).toEqual(['103']);
    expect(selection.unretrieved).toEqual(['104']);
    expect(selectJudgedQueries(candidates, qrels, 1).selected.map((q) => q.qid)).toEqual(['101']);
  });
});

describe('evaluateReranker', () => {
  test('scores the first-stage ranking as computed by hand', async () => {
    const { qrels, selected } = await loadFixture();
    const report = await evaluateReranker(null, selected, qrels, { ...spec, depth: 100 });
    expect(report.queries).toBe(2);
    expect(report.metrics).toEqual(['nDCG@10', 'MRR@10', 'Recall@1', 'Recall@3', 'Recall@10']);
    expect(report.perQuery.map((q) => q.qid)).toEqual(['101', '102']);
    expect(report.perQuery[0]!.before['nDCG@10']).toBeCloseTo(NDCG_101, 12);
    expect(report.perQuery[1]!.before['nDCG@10']).toBeCloseTo(NDCG_102, 12);
    expect(report.before['nDCG@10']).toBeCloseTo((NDCG_101 + NDCG_102) / 2, 12);
    expect(report.before['MRR@10']).toBeCloseTo((1 / 2 + 1 / 3) / 2, 12);
    expect(report.before['Recall@1']).toBe(0);
    expect(report.before['Recall@3']).toBeCloseTo(0.5, 12);
    expect(report.before['Recall@10']).toBe(1);
    expect(report.after).toBeNull();
    expect(report.rerank).toBeNull();
  });

  test('an oracle reranker reaches nDCG@10 = 1 and MRR@10 = 1', async () => {
    const { qrels, candidates, selected } = await loadFixture();
    const oracle = new OracleReranker(candidates, qrels);
    const report = await evaluateReranker(oracle, selected, qrels, { ...spec, depth: 100 });
    expect(report.after!['nDCG@10']).toBeCloseTo(1, 12);
    expect(report.after!['MRR@10']).toBe(1);
    // Two relevant documents per query, so the single top document is half of them.
    expect(report.after!['Recall@1']).toBeCloseTo(0.5, 12);
    expect(report.after!['Recall@3']).toBe(1);
    // Reranking never changes what is before it.
    expect(report.before['nDCG@10']).toBeCloseTo((NDCG_101 + NDCG_102) / 2, 12);
    // One call per judged query, with its texts in first-stage order.
    expect(oracle.calls.map((call) => call.query)).toEqual(['what color is the sky', 'how tall is mount everest']);
    expect(oracle.calls[1]!.documents).toEqual(selected[1]!.candidates.map((c) => c.text));
  });

  test('reranks only the top --depth candidates; the rest keep first-stage order', async () => {
    const { qrels, candidates, selected } = await loadFixture();
    const oracle = new OracleReranker(candidates, qrels);
    const report = await evaluateReranker(oracle, selected, qrels, { ...spec, depth: 2 });
    expect(oracle.calls.map((call) => call.documents.length)).toEqual([2, 2]);
    // 101: d1 (0), d2 (3) swap -> d2 d1 d3 d4 d5 d6, gains 3 0 0 1 0 2.
    expect(report.perQuery[0]!.after!['nDCG@10']).toBeCloseTo((3 + 1 / log2(5) + 2 / log2(7)) / IDEAL, 12);
    expect(report.perQuery[0]!.after!['MRR@10']).toBe(1);
    // 102: e1 (1) already beats e2 (0): unchanged.
    expect(report.perQuery[1]!.after).toEqual(report.perQuery[1]!.before);
    expect(report.rerank!.documents).toBe(4);
  });

  test('uses --rel-level for MRR and Recall but not for nDCG', async () => {
    const { qrels, selected } = await loadFixture();
    const report = await evaluateReranker(null, selected, qrels, { recallDepths: [1], relLevel: 1, depth: 100 });
    // Grade >= 1: 101's first relevant is d2 (rank 2), 102's is e1 (rank 1).
    expect(report.before['MRR@10']).toBeCloseTo((1 / 2 + 1) / 2, 12);
    // 101 has 3 relevant (d2 d4 d6), none at rank 1; 102 has 3 (e1 e3 e4), e1 at rank 1.
    expect(report.before['Recall@1']).toBeCloseTo((0 + 1 / 3) / 2, 12);
    expect(report.before['nDCG@10']).toBeCloseTo((NDCG_101 + NDCG_102) / 2, 12);
  });

  test('scores the order the reranker gives (here: the first stage reversed)', async () => {
    const { qrels, selected } = await loadFixture();
    const reverse: Reranker = { rerank: async (_q, docs) => rank(docs.map((_, i) => i / docs.length)) };
    const report = await evaluateReranker(reverse, selected, qrels, { ...spec, depth: 100 });
    // 101 reversed: d6 d5 d4 d3 d2 d1, gains 2 0 1 0 3 0: DCG = 2 + 1/log2(4) + 3/log2(6).
    expect(report.perQuery[0]!.after!['nDCG@10']).toBeCloseTo((2 + 1 / log2(4) + 3 / log2(6)) / IDEAL, 12);
    // 102 reversed: e4 e3 e2 e1, gains 2 3 0 1: DCG = 2 + 3/log2(3) + 1/log2(5); first relevant at rank 1.
    expect(report.perQuery[1]!.after!['nDCG@10']).toBeCloseTo((2 + 3 / log2(3) + 1 / log2(5)) / IDEAL, 12);
    expect(report.after!['MRR@10']).toBe(1);
  });

  test('times only the rerank calls and reports progress after each query', async () => {
    const { qrels, candidates, selected } = await loadFixture();
    // A fake clock: each rerank call takes 250 ms, and 1000 ms pass between calls (not counted).
    let clock = 0;
    const oracle = new OracleReranker(candidates, qrels);
    const timed: Reranker = {
      rerank: async (query, docs) => {
        const results = await oracle.rerank(query, docs);
        clock += 250;
        return results;
      },
    };
    const progress: Array<[number, number]> = [];
    const report = await evaluateReranker(timed, selected, qrels, {
      ...spec,
      depth: 100,
      now: () => clock,
      onProgress: (done, total) => {
        progress.push([done, total]);
        clock += 1000;
      },
    });
    expect(report.rerank).toEqual({ documents: 10, seconds: 0.5, queriesPerSecond: 4, documentsPerSecond: 20 });
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  test('passes the abort signal to the reranker', async () => {
    const { qrels, selected } = await loadFixture();
    const controller = new AbortController();
    const seen: Array<AbortSignal | undefined> = [];
    const spy: Reranker = {
      rerank: async (_q, docs, options) => {
        seen.push(options?.signal);
        return rank(docs.map(() => 0));
      },
    };
    await evaluateReranker(spy, selected, qrels, { ...spec, depth: 100, signal: controller.signal });
    expect(seen).toEqual([controller.signal, controller.signal]);
  });
});
