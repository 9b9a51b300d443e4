import { DataFormatError } from './errors.js';
import type { Qrels } from './types.js';

/**
 * Parses relevance judgments. TREC qrels are `qid iter docid grade` (the iter column, usually 0 or
 * Q0, is ignored); the 3-column `qid docid grade` form of BEIR's qrels TSV is read too, with its
 * optional header line. Blank lines and `#` comments are skipped.
 */
export function parseQrels(text: string, source: string): Qrels {
  const qrels: Qrels = new Map();
  const lines = text.split('\n');
  let seenContent = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${source}:${i + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 4 && fields.length !== 3) {
      throw new DataFormatError(
        `${where}: expected "qid 0 docid grade" (4 columns), got ${fields.length} column(s). Pass a TREC qrels file.`,
      );
    }
    const [qid, docid, gradeText] = fields.length === 4 ? [fields[0]!, fields[2]!, fields[3]!] : [fields[0]!, fields[1]!, fields[2]!];
    const grade = Number(gradeText);
    if (gradeText === '' || !Number.isFinite(grade)) {
      // A BEIR qrels TSV starts with a `query-id corpus-id score` header.
      if (!seenContent && fields.length === 3) {
        seenContent = true;
        continue;
      }
      throw new DataFormatError(`${where}: the grade "${gradeText}" is not a number. Qrels lines are "qid 0 docid grade".`);
    }
    seenContent = true;
    let judgments = qrels.get(qid);
    if (!judgments) qrels.set(qid, (judgments = new Map()));
    if (judgments.has(docid)) {
      throw new DataFormatError(`${where}: query ${qid} judges document ${docid} twice. Keep one judgment per pair.`);
    }
    judgments.set(docid, grade);
  }
  if (qrels.size === 0) throw new DataFormatError(`${source} holds no judgments. Pass a TREC qrels file ("qid 0 docid grade").`);
  return qrels;
}
