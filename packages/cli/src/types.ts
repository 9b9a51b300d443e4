/** Relevance judgments: qid -> docid -> grade (TREC qrels). */
export type Qrels = Map<string, Map<string, number>>;

/** One retrieved document for a query, as the first-stage run ranked it. */
export interface Candidate {
  docid: string;
  text: string;
  /** First-stage rank (1 = best). */
  rank: number;
  /** First-stage score; only breaks ties between equal ranks. */
  score: number;
}

/** A query with its first-stage candidates, sorted into first-stage order. */
export interface CandidateQuery {
  qid: string;
  query: string;
  candidates: Candidate[];
}
