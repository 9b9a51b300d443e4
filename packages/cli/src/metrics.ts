/**
 * Ranking metrics, defined as trec_eval defines them so figures compare with published ones:
 * - nDCG@k (trec_eval `ndcg_cut.k`): gain = grade (linear, not 2^g - 1), discount log2(rank + 1);
 *   the ideal ranking is built from EVERY judged document with grade > 0 for the query, retrieved
 *   or not. Grades <= 0 give no gain.
 * - RR@k (`recip_rank` cut at k, i.e. MRR@k once averaged) and Recall@k (`recall.k`) are binary:
 *   a document is relevant when its grade >= `relLevel` (trec_eval `-l`; TREC DL uses 2).
 *   Recall's denominator is every relevant judged document, retrieved or not.
 * A query without any relevant judgment scores 0 (trec_eval does the same and still counts it).
 *
 * `ranking` is a list of docids, best first; unjudged documents count as grade 0.
 */

export type Judgments = ReadonlyMap<string, number>;

export function dcgAtK(gains: readonly number[], k: number): number {
  let dcg = 0;
  const n = Math.min(k, gains.length);
  for (let i = 0; i < n; i++) {
    const gain = gains[i]!;
    // Position i (0-based) is rank i + 1, discounted by log2(rank + 1) = log2(i + 2).
    if (gain > 0) dcg += gain / Math.log2(i + 2);
  }
  return dcg;
}

export function ndcgAtK(ranking: readonly string[], judgments: Judgments, k: number): number {
  const gains = ranking.slice(0, k).map((docid) => judgments.get(docid) ?? 0);
  const ideal = [...judgments.values()].filter((grade) => grade > 0).sort((a, b) => b - a);
  const idcg = dcgAtK(ideal, k);
  return idcg === 0 ? 0 : dcgAtK(gains, k) / idcg;
}

export function reciprocalRankAtK(
  ranking: readonly string[],
  judgments: Judgments,
  k: number,
  relLevel: number,
): number {
  const n = Math.min(k, ranking.length);
  for (let i = 0; i < n; i++) {
    if ((judgments.get(ranking[i]!) ?? 0) >= relLevel) return 1 / (i + 1);
  }
  return 0;
}

export function recallAtK(ranking: readonly string[], judgments: Judgments, k: number, relLevel: number): number {
  let relevant = 0;
  for (const grade of judgments.values()) if (grade >= relLevel) relevant++;
  if (relevant === 0) return 0;
  let found = 0;
  for (const docid of ranking.slice(0, k)) {
    if ((judgments.get(docid) ?? 0) >= relLevel) found++;
  }
  return found / relevant;
}

export interface MetricSpec {
  /** Cutoffs for Recall@k, e.g. [10, 100]. */
  recallDepths: readonly number[];
  /** Lowest grade that counts as relevant for MRR and Recall. */
  relLevel: number;
}

/** Metric name -> value, in print order (nDCG@10, MRR@10, Recall@k...). */
export type MetricValues = Record<string, number>;

export function metricNames(spec: MetricSpec): string[] {
  return ['nDCG@10', 'MRR@10', ...spec.recallDepths.map((k) => `Recall@${k}`)];
}

export function scoreQuery(ranking: readonly string[], judgments: Judgments, spec: MetricSpec): MetricValues {
  const values: MetricValues = {
    'nDCG@10': ndcgAtK(ranking, judgments, 10),
    'MRR@10': reciprocalRankAtK(ranking, judgments, 10, spec.relLevel),
  };
  for (const k of spec.recallDepths) values[`Recall@${k}`] = recallAtK(ranking, judgments, k, spec.relLevel);
  return values;
}

/** Arithmetic mean of each metric over queries (trec_eval's "all" line). Empty input gives zeros. */
export function meanMetrics(perQuery: readonly MetricValues[], names: readonly string[]): MetricValues {
  const mean: MetricValues = {};
  for (const name of names) {
    let sum = 0;
    for (const values of perQuery) sum += values[name] ?? 0;
    mean[name] = perQuery.length === 0 ? 0 : sum / perQuery.length;
  }
  return mean;
}
