import type { Reranker } from '@crossrank/core';
import { meanMetrics, metricNames, scoreQuery, type MetricSpec, type MetricValues } from './metrics.js';
import { firstStageOrder, rerankedOrder } from './ordering.js';
import type { CandidateQuery, Qrels } from './types.js';

export interface EvaluateOptions extends MetricSpec {
  /** Rerank this many first-stage candidates per query; the rest keep first-stage order after them. */
  depth: number;
  /** Called after each query with (done, total). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Millisecond clock; injectable so tests can check timing arithmetic. */
  now?: () => number;
}

export interface QueryReport {
  qid: string;
  before: MetricValues;
  after: MetricValues | null;
}

export interface RerankStats {
  /** Documents sent to the reranker (sum over queries of min(depth, candidates)). */
  documents: number;
  /** Time spent inside `rerank()` only: loading and metric computation are excluded. */
  seconds: number;
  queriesPerSecond: number;
  documentsPerSecond: number;
}

export interface EvaluationReport {
  queries: number;
  metrics: string[];
  before: MetricValues;
  /** null when no reranker was given (the run is only scored, like trec_eval). */
  after: MetricValues | null;
  rerank: RerankStats | null;
  perQuery: QueryReport[];
}

/**
 * Scores the first-stage ranking of each query, reranks its top `depth` candidates (one `rerank`
 * call per query, so a backend sees the same batch a RAG pipeline would send) and scores again.
 * `queries` should hold judged queries only (see `selectJudgedQueries`): a query without
 * judgments would score 0 and drag the mean down.
 */
export async function evaluateReranker(
  reranker: Reranker | null,
  queries: readonly CandidateQuery[],
  qrels: Qrels,
  options: EvaluateOptions,
): Promise<EvaluationReport> {
  const now = options.now ?? (() => performance.now());
  const names = metricNames(options);
  const perQuery: QueryReport[] = [];
  let documents = 0;
  let elapsedMs = 0;

  for (const query of queries) {
    const judgments = qrels.get(query.qid) ?? new Map<string, number>();
    const ordered = firstStageOrder(query.candidates);
    const before = scoreQuery(ordered.map((c) => c.docid), judgments, options);
    let after: MetricValues | null = null;
    if (reranker) {
      const head = ordered.slice(0, options.depth);
      const started = now();
      const results = await reranker.rerank(
        query.query,
        head.map((c) => c.text),
        options.signal ? { signal: options.signal } : undefined,
      );
      elapsedMs += now() - started;
      documents += head.length;
      const reranked = rerankedOrder(ordered, options.depth, results);
      after = scoreQuery(reranked.map((c) => c.docid), judgments, options);
    }
    perQuery.push({ qid: query.qid, before, after });
    options.onProgress?.(perQuery.length, queries.length);
  }

  const seconds = elapsedMs / 1000;
  return {
    queries: queries.length,
    metrics: names,
    before: meanMetrics(perQuery.map((q) => q.before), names),
    after: reranker ? meanMetrics(perQuery.map((q) => q.after!), names) : null,
    rerank: reranker
      ? {
          documents,
          seconds,
          queriesPerSecond: seconds > 0 ? queries.length / seconds : 0,
          documentsPerSecond: seconds > 0 ? documents / seconds : 0,
        }
      : null,
    perQuery,
  };
}
