import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One query and its candidate passages, as a search stage hands them to a reranker. */
export interface CandidateSet {
  id: string;
  query: string;
  docs: string[];
}

export interface Workload {
  source: 'dl19' | 'generated';
  sets: CandidateSet[];
  /** Every distinct passage available, for the scale runs (1,000+ candidates for one query). */
  pool: string[];
}

export const DL19_FILE = 'bm25_top100_dl19.json';

interface Dl19Entry {
  query: string;
  hits: Array<{ content: string; qid?: string | number; rank?: number }>;
}

/** Each DL19 query with its BM25 top `candidates` (in rank order); passages stay in memory only. */
export function loadDl19(dir: string, candidates: number): Workload {
  const file = path.join(dir, DL19_FILE);
  const entries = JSON.parse(readFileSync(file, 'utf8')) as Dl19Entry[];
  if (!Array.isArray(entries) || entries.length === 0) throw new Error(`${file} holds no queries; expected [{ query, hits: [{ content }] }].`);
  const sets: CandidateSet[] = [];
  const pool = new Set<string>();
  entries.forEach((entry, i) => {
    if (typeof entry.query !== 'string' || !Array.isArray(entry.hits)) throw new Error(`${file}: entry ${i} has no query string and hits array.`);
    const hits = [...entry.hits].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
    for (const hit of hits) pool.add(hit.content);
    if (hits.length < candidates) return;
    sets.push({ id: String(hits[0]?.qid ?? i), query: entry.query, docs: hits.slice(0, candidates).map((h) => h.content) });
  });
  return { source: 'dl19', sets, pool: [...pool] };
}

export function dl19Available(dir: string): boolean {
  return existsSync(path.join(dir, DL19_FILE));
}

/** DL19 passage lengths in words: 10 to 216, median 55 (top-20 p90 about 100). */
export const PASSAGE_WORDS = { min: 10, median: 55, max: 216, sigma: 0.49 } as const;

const WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were ' +
  'her she there been one all we their has would when if so no what up out who them some could time into only then its ' +
  'people water system energy health history population temperature average process between during government company ' +
  'disease symptoms treatment blood cells protein function increase different university national information research ' +
  'development production international 1990 2019 percent miles located including approximately typically usually ' +
  'called known first years about more most other many such new used also after where how because through each between ' +
  'different important example number several however another structure environment management education community'
).split(' ');

const QUESTION_STARTS = ['what is', 'how long does', 'why do', 'who is', 'define', 'causes of', 'how many', 'what are the'];

/**
 * Candidate sets made of English-like words when DL19 is absent: passage lengths follow a
 * log-normal spread clipped to DL19's range (same median), queries are 3 to 10 words. Seeded.
 */
export function generateWorkload(queries: number, candidates: number, seed = 7, poolSize = 2000): Workload {
  const random = mulberry32(seed);
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  const passage = () => {
    const n = passageWords(random);
    const words = Array.from({ length: n }, word);
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    return `${words.join(' ')}.`;
  };
  const sets: CandidateSet[] = [];
  for (let q = 0; q < queries; q++) {
    const extra = 1 + Math.floor(random() * 7);
    const query = `${QUESTION_STARTS[q % QUESTION_STARTS.length]} ${Array.from({ length: extra }, word).join(' ')}`;
    sets.push({ id: `generated-${q}`, query, docs: Array.from({ length: candidates }, passage) });
  }
  const pool = [...sets.flatMap((s) => s.docs), ...Array.from({ length: Math.max(0, poolSize - queries * candidates) }, passage)];
  return { source: 'generated', sets, pool };
}

function passageWords(random: () => number): number {
  // Box-Muller; log-normal around the median, clipped to the observed range.
  const u = 1 - random();
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  const words = Math.round(PASSAGE_WORDS.median * Math.exp(PASSAGE_WORDS.sigma * normal));
  return Math.min(PASSAGE_WORDS.max, Math.max(PASSAGE_WORDS.min, words));
}

/** Small seeded PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` candidates for one query, cycling through the pool (the scale runs). */
export function scaleCandidates(pool: readonly string[], count: number): string[] {
  if (pool.length === 0) throw new Error('The passage pool is empty.');
  return Array.from({ length: count }, (_, i) => pool[i % pool.length]!);
}
