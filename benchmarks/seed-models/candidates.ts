// The 20-candidate sets each model reranks: TREC DL19's BM25 top 20 (what a first-stage retriever
// really hands a reranker) when the shared data is present, else seeded English-like passages with
// DL19's length spread. Passages stay in memory; nothing from DL19 is written to results.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32, PASSAGE_WORDS } from '../src/workload.js';

export interface CandidateSet {
  id: string;
  query: string;
  docs: string[];
}

export interface Candidates {
  source: 'trec-dl19-bm25' | 'generated';
  sets: CandidateSet[];
}

export const DL19_FILE = 'bm25_top100_dl19.json';

interface Dl19Entry {
  query: string;
  hits: Array<{ content: string; qid?: string | number; rank?: number }>;
}

/** `count` sets of `size` candidates: DL19 queries in file order, hits in BM25 rank order. */
export function loadCandidates(dataDir: string, count: number, size: number): Candidates {
  const file = path.join(dataDir, DL19_FILE);
  if (!existsSync(file)) return { source: 'generated', sets: generateSets(count, size) };
  const entries = JSON.parse(readFileSync(file, 'utf8')) as Dl19Entry[];
  if (!Array.isArray(entries)) throw new Error(`${file} must hold [{ query, hits: [{ content, rank }] }].`);
  const sets = entries
    .filter((e) => typeof e.query === 'string' && Array.isArray(e.hits) && e.hits.length >= size)
    .map((e, i) => {
      const hits = [...e.hits].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0)).slice(0, size);
      return { id: String(hits[0]?.qid ?? i), query: e.query, docs: hits.map((h) => h.content) };
    });
  if (sets.length < count) throw new Error(`${file} has ${sets.length} queries with ${size}+ hits; ${count} were asked for.`);
  return { source: 'trec-dl19-bm25', sets: sets.slice(0, count) };
}

/** DL19 passage lengths in words: 10 to 216, median 55. */

const WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were ' +
  'her she there been one all we their has would when if so no what up out who them some could time into only then its ' +
  'people water system energy health history population temperature average process between during government company ' +
  'disease symptoms treatment blood cells protein function increase different university national information research ' +
  'development production international 1990 2019 percent miles located including approximately typically usually'
).split(' ');

const QUESTION_STARTS = ['what is', 'how long does', 'why do', 'who is', 'define', 'causes of', 'how many', 'what are the'];

function generateSets(count: number, size: number, seed = 7): CandidateSet[] {
  const random = mulberry32(seed);
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  const passage = () => `${Array.from({ length: passageWords(random) }, word).join(' ')}.`;
  return Array.from({ length: count }, (_, q) => ({
    id: `generated-${q}`,
    query: `${QUESTION_STARTS[q % QUESTION_STARTS.length]} ${Array.from({ length: 1 + Math.floor(random() * 7) }, word).join(' ')}`,
    docs: Array.from({ length: size }, passage),
  }));
}

/** Log-normal around DL19's median, clipped to its range (Box-Muller). */
function passageWords(random: () => number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const words = Math.round(PASSAGE_WORDS.median * Math.exp(PASSAGE_WORDS.sigma * normal));
  return Math.min(PASSAGE_WORDS.max, Math.max(PASSAGE_WORDS.min, words));
}
