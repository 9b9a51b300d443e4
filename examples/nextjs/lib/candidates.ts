/**
 * What a retriever would hand the reranker: 20 passages for one query (a vector store in a real app).
 * Kept as JSON so the CI check that runs this app can read the same list.
 */
import data from './candidates.json';

export const QUERY: string = data.query;
export const CANDIDATES: string[] = data.candidates;
