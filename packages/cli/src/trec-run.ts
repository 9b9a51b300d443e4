import { DataFormatError } from './errors.js';

export interface RunEntry {
  docid: string;
  rank: number;
  score: number;
}

/**
 * Parses a TREC run (`qid Q0 docid rank score tag`; the tag may be missing). Queries keep the
 * order in which they first appear; entries keep file order (callers sort by rank).
 */
export function parseTrecRun(text: string, source: string): Map<string, RunEntry[]> {
  const run = new Map<string, RunEntry[]>();
  const seen = new Map<string, Set<string>>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${source}:${i + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 6 && fields.length !== 5) {
      throw new DataFormatError(
        `${where}: expected "qid Q0 docid rank score tag" (6 columns), got ${fields.length} column(s). Pass a TREC run file.`,
      );
    }
    const [qid, , docid, rankText, scoreText] = fields as [string, string, string, string, string];
    const rank = Number(rankText);
    const score = Number(scoreText);
    if (!Number.isFinite(rank)) throw new DataFormatError(`${where}: the rank "${rankText}" is not a number.`);
    if (!Number.isFinite(score)) throw new DataFormatError(`${where}: the score "${scoreText}" is not a number.`);
    let docids = seen.get(qid);
    if (!docids) {
      seen.set(qid, (docids = new Set()));
      run.set(qid, []);
    }
    if (docids.has(docid)) {
      throw new DataFormatError(`${where}: query ${qid} lists document ${docid} twice. A run ranks each document once.`);
    }
    docids.add(docid);
    run.get(qid)!.push({ docid, rank, score });
  }
  if (run.size === 0) throw new DataFormatError(`${source} holds no results. Pass a TREC run file ("qid Q0 docid rank score tag").`);
  return run;
}
