import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parseCandidatesJson } from './candidates-json.js';
import { DataFormatError, UsageError } from './errors.js';
import { readIdText } from './id-text.js';
import { firstStageOrder } from './ordering.js';
import { parseQrels } from './qrels.js';
import { parseTrecRun } from './trec-run.js';
import type { CandidateQuery, Qrels } from './types.js';

export interface CandidateInputs {
  /** `--candidates`: a JSON file with texts, or a TREC run. */
  candidates: string;
  /** `--corpus` and `--queries`: the texts for a TREC run. */
  corpus?: string;
  queries?: string;
  /** false when nothing will be reranked: a TREC run then needs no texts. */
  needTexts: boolean;
}

export async function loadQrels(path: string): Promise<Qrels> {
  return parseQrels(await readText(path, '--qrels'), path);
}

/** Loads candidates into first-stage order, whichever format they come in. */
export async function loadCandidates(inputs: CandidateInputs): Promise<CandidateQuery[]> {
  const { candidates: path, corpus, queries } = inputs;
  const text = await readText(path, '--candidates');
  const isJson = extname(path).toLowerCase() === '.json' || text.trimStart().startsWith('[');
  if (isJson) {
    if (corpus !== undefined || queries !== undefined) {
      throw new UsageError(`--corpus and --queries go with a TREC run; ${path} is a JSON file that already holds the texts. Drop them.`);
    }
    return parseCandidatesJson(text, path).map((q) => ({ ...q, candidates: firstStageOrder(q.candidates) }));
  }

  const run = parseTrecRun(text, path);
  if (inputs.needTexts && (corpus === undefined || queries === undefined)) {
    throw new UsageError(
      `${path} is a TREC run, which has no texts: pass --corpus (docid<TAB>text or JSONL) and --queries (qid<TAB>text or JSONL).`,
    );
  }
  const docids = new Set<string>();
  for (const entries of run.values()) for (const entry of entries) docids.add(entry.docid);
  const docTexts = corpus === undefined ? undefined : await loadIdText(corpus, '--corpus', 'corpus', docids);
  const queryTexts = queries === undefined ? undefined : await loadIdText(queries, '--queries', 'queries', new Set(run.keys()));
  if (docTexts) requireAll(docids, docTexts, `docid(s) of ${path} are missing from ${corpus}`, 'pass the corpus the run was retrieved from');
  if (queryTexts) requireAll(new Set(run.keys()), queryTexts, `qid(s) of ${path} are missing from ${queries}`, 'pass the queries the run was made for');

  return [...run].map(([qid, entries]) => ({
    qid,
    query: queryTexts?.get(qid) ?? '',
    candidates: firstStageOrder(entries.map((e) => ({ ...e, text: docTexts?.get(e.docid) ?? '' }))),
  }));
}

function requireAll(ids: ReadonlySet<string>, found: ReadonlyMap<string, string>, what: string, fix: string): void {
  const missing = [...ids].filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new DataFormatError(`${missing.length} ${what} (e.g. ${missing.slice(0, 3).join(', ')}): ${fix}.`);
  }
}

async function loadIdText(path: string, flag: string, kind: 'corpus' | 'queries', wanted: ReadonlySet<string>) {
  await requireFile(path, flag);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    return await readIdText(lines, { source: path, kind, wanted });
  } finally {
    lines.close();
    stream.destroy();
  }
}

async function readText(path: string, flag: string): Promise<string> {
  await requireFile(path, flag);
  return readFile(path, 'utf8');
}

/** A missing or unreadable input is a command-line mistake: say which flag named it. */
async function requireFile(path: string, flag: string): Promise<void> {
  let isFile = false;
  try {
    isFile = (await stat(path)).isFile();
  } catch {
    throw new UsageError(`${flag} ${path}: no such file.`);
  }
  if (!isFile) throw new UsageError(`${flag} ${path}: not a file.`);
}
