import type { CandidateQuery, Qrels } from './types.js';

export interface QuerySelection {
  /** Queries to evaluate: judged ones, in candidate-file order, at most `limit`. */
  selected: CandidateQuery[];
  /** qids with candidates but no judgments: not evaluated (and not reranked: that would be wasted work). */
  unjudged: string[];
  /** qids in the qrels with no candidates: ignored, as trec_eval ignores them without `-c`. */
  unretrieved: string[];
}

/**
 * Chooses what to average over. Like trec_eval, a query counts when it has judgments AND
 * candidates; `limit` (for quick runs) then takes the first N of those.
 */
export function selectJudgedQueries(queries: readonly CandidateQuery[], qrels: Qrels, limit?: number): QuerySelection {
  const judged = queries.filter((q) => qrels.has(q.qid));
  const retrieved = new Set(queries.map((q) => q.qid));
  return {
    selected: limit === undefined ? judged : judged.slice(0, limit),
    unjudged: queries.filter((q) => !qrels.has(q.qid)).map((q) => q.qid),
    unretrieved: [...qrels.keys()].filter((qid) => !retrieved.has(qid)),
  };
}
