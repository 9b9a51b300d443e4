/**
 * Writes `candidates.json` for the judged sample: the BM25 top 20 of the 48 passages for each of the
 * 8 queries (the demo's BM25, so the first stage is a real one), in the format `crossrank eval
 * --candidates` reads. Run it after editing passages.jsonl or queries.tsv:
 *
 *   pnpm -C examples exec tsx data/eval-sample/make-candidates.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Bm25Index } from '../../demo/bm25.js';

export const CANDIDATES_PER_QUERY = 20;

interface Hit {
  content: string;
  qid: string;
  docid: string;
  rank: number;
  score: number;
}

/** The candidates file's contents, from passages.jsonl and queries.tsv in `dir`. */
export function buildCandidates(dir: string): { query: string; hits: Hit[] }[] {
  const passages = readFileSync(path.join(dir, 'passages.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; text: string });
  const queries = readFileSync(path.join(dir, 'queries.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [qid, text] = line.split('\t');
      return { qid: qid!, text: text! };
    });
  const index = new Bm25Index(passages.map((p) => p.text));
  return queries.map(({ qid, text }) => ({
    query: text,
    hits: index.search(text, CANDIDATES_PER_QUERY).map((hit, i) => ({
      content: passages[hit.index]!.text,
      qid,
      docid: passages[hit.index]!.id,
      rank: i + 1,
      // Rounded so the file does not change with the last bits of floating point.
      score: Math.round(hit.score * 1e4) / 1e4,
    })),
  }));
}

export function candidatesJson(dir: string): string {
  return `${JSON.stringify(buildCandidates(dir), null, 1)}\n`;
}

// Run as a script (not imported by the test): found by name, since jest compiles this file to CommonJS.
const script = process.argv[1] ? path.resolve(process.argv[1]) : '';
if (path.basename(script, path.extname(script)) === 'make-candidates') {
  const dir = path.dirname(script);
  writeFileSync(path.join(dir, 'candidates.json'), candidatesJson(dir));
}
