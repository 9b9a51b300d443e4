import { DataFormatError } from './errors.js';
import type { Candidate, CandidateQuery } from './types.js';

/**
 * Parses candidates with their texts in one JSON file, as rank_llm stores first-stage results:
 * `[{ query, hits: [{ qid, docid, content, rank, score }] }]`. The qid may also sit on the entry;
 * `text`/`contents` are accepted for `content`; a missing rank is the hit's position, a missing
 * score 0. Entries with no hits (hence no qid) are skipped: there is nothing to rerank.
 */
export function parseCandidatesJson(text: string, source: string): CandidateQuery[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(`${source}: not valid JSON (${(error as Error).message}).`);
  }
  if (!Array.isArray(value)) {
    throw new DataFormatError(`${source}: expected an array of { query, hits: [{ qid, docid, content, rank, score }] }.`);
  }
  const queries: CandidateQuery[] = [];
  const seen = new Set<string>();
  value.forEach((entry: unknown, i) => {
    const where = `${source}: entry ${i}`;
    if (!isObject(entry) || typeof entry.query !== 'string' || !Array.isArray(entry.hits)) {
      throw new DataFormatError(`${where}: expected { query: string, hits: [...] }.`);
    }
    const hits: unknown[] = entry.hits;
    const entryQid = idOf(entry.qid) ?? (isObject(hits[0]) ? idOf(hits[0].qid) : undefined);
    if (entryQid === undefined) {
      if (hits.length === 0) return;
      throw new DataFormatError(`${where}: no qid; put "qid" on the entry or on its hits.`);
    }
    if (seen.has(entryQid)) throw new DataFormatError(`${where}: query ${entryQid} appears twice. Merge its hits into one entry.`);
    seen.add(entryQid);
    const docids = new Set<string>();
    const candidates = hits.map((hit, j): Candidate => {
      const at = `${where}, hits[${j}]`;
      if (!isObject(hit)) throw new DataFormatError(`${at}: expected an object.`);
      const hitQid = idOf(hit.qid);
      if (hitQid !== undefined && hitQid !== entryQid) {
        throw new DataFormatError(`${at}: qid ${hitQid} differs from the entry's qid ${entryQid}.`);
      }
      const docid = idOf(hit.docid);
      if (docid === undefined) throw new DataFormatError(`${at}: missing docid.`);
      if (docids.has(docid)) throw new DataFormatError(`${at}: document ${docid} is listed twice for query ${entryQid}.`);
      docids.add(docid);
      const content = [hit.content, hit.text, hit.contents].find((c): c is string => typeof c === 'string');
      if (content === undefined) throw new DataFormatError(`${at}: missing the passage text ("content").`);
      const rank = hit.rank === undefined ? j + 1 : hit.rank;
      const score = hit.score === undefined ? 0 : hit.score;
      if (typeof rank !== 'number' || !Number.isFinite(rank)) throw new DataFormatError(`${at}: rank must be a number.`);
      if (typeof score !== 'number' || !Number.isFinite(score)) throw new DataFormatError(`${at}: score must be a number.`);
      return { docid, text: content, rank, score };
    });
    queries.push({ qid: entryQid, query: entry.query, candidates });
  });
  return queries;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function idOf(value: unknown): string | undefined {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : undefined;
}
