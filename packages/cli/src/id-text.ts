import { DataFormatError } from './errors.js';

export type IdTextKind = 'corpus' | 'queries';

export interface IdTextOptions {
  /** File name, for error messages. */
  source: string;
  kind: IdTextKind;
  /** Keep only these ids: a full corpus (MS MARCO: 8.8M passages) need not fit in memory. */
  wanted?: ReadonlySet<string>;
}

// Field names used by MS MARCO / Pyserini (docid, contents), BEIR (_id, title, text) and others.
const ID_KEYS: Record<IdTextKind, readonly string[]> = {
  corpus: ['docid', '_id', 'id', 'doc_id', 'pid'],
  queries: ['qid', '_id', 'id', 'query_id'],
};
const TEXT_KEYS: Record<IdTextKind, readonly string[]> = {
  corpus: ['text', 'contents', 'content'],
  queries: ['text', 'query', 'contents', 'content'],
};

/**
 * Reads `id -> text` from a corpus or queries file, TSV (`id<TAB>text`) or JSONL (one object per
 * line), chosen by the first non-blank line. Takes lines so a large corpus can be streamed.
 * A JSONL corpus entry with a `title` gets it prepended to the text (`title text`), as BEIR's
 * reranking evaluation does.
 */
export async function readIdText(
  lines: AsyncIterable<string> | Iterable<string>,
  options: IdTextOptions,
): Promise<Map<string, string>> {
  const { source, kind, wanted } = options;
  const texts = new Map<string, string>();
  let format: 'tsv' | 'jsonl' | undefined;
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    format ??= line.trimStart().startsWith('{') ? 'jsonl' : 'tsv';
    const where = `${source}:${lineNo}`;
    const [id, text] = format === 'jsonl' ? parseJsonLine(line, where, kind) : parseTsvLine(line, where, kind);
    if (wanted && !wanted.has(id)) continue;
    if (texts.has(id)) {
      throw new DataFormatError(`${where}: id ${id} appears twice in the ${kind} file. Keep one line per id.`);
    }
    texts.set(id, text);
  }
  return texts;
}

function parseTsvLine(line: string, where: string, kind: IdTextKind): [string, string] {
  const tab = line.indexOf('\t');
  if (tab <= 0) {
    throw new DataFormatError(
      `${where}: expected "id<TAB>text". Pass a TSV ${kind} file or JSONL with ${ID_KEYS[kind].join('|')} and ${TEXT_KEYS[kind].join('|')} fields.`,
    );
  }
  return [line.slice(0, tab).trim(), line.slice(tab + 1)];
}

function parseJsonLine(line: string, where: string, kind: IdTextKind): [string, string] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new DataFormatError(`${where}: not valid JSON (${(error as Error).message}). A JSONL file holds one object per line.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DataFormatError(`${where}: expected a JSON object per line.`);
  }
  const record = value as Record<string, unknown>;
  const idKey = ID_KEYS[kind].find((key) => typeof record[key] === 'string' || typeof record[key] === 'number');
  if (idKey === undefined) throw new DataFormatError(`${where}: no id field; expected one of ${ID_KEYS[kind].join(', ')}.`);
  const textKey = TEXT_KEYS[kind].find((key) => typeof record[key] === 'string');
  if (textKey === undefined) throw new DataFormatError(`${where}: no text field; expected one of ${TEXT_KEYS[kind].join(', ')}.`);
  let text = record[textKey] as string;
  const title = record.title;
  if (kind === 'corpus' && typeof title === 'string' && title.trim() !== '') text = `${title} ${text}`.trim();
  return [String(record[idKey]), text];
}
