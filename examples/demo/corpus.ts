import { readFileSync } from 'node:fs';
import { CorpusError } from './errors.js';

export interface Passage {
  id: string;
  topic: string;
  title: string;
  text: string;
}

/** Reads a JSONL file of passages (one `{id, topic, title, text}` object per line), checking each. */
export function loadCorpus(file: string): Passage[] {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CorpusError(`Cannot read the demo corpus at ${file}: ${(error as Error).message}. Restore it from git.`, { cause: error });
  }
  const passages: Passage[] = [];
  const seen = new Set<string>();
  raw.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new CorpusError(`${where} is not valid JSON (${(error as Error).message}). Each line must be one passage object.`);
    }
    const p = value as Partial<Record<keyof Passage, unknown>>;
    for (const key of ['id', 'topic', 'title', 'text'] as const) {
      if (typeof p?.[key] !== 'string' || (p[key] as string).trim() === '') {
        throw new CorpusError(`${where} needs a non-empty string "${key}".`);
      }
    }
    const passage = p as Passage;
    if (seen.has(passage.id)) throw new CorpusError(`${where} repeats the id "${passage.id}"; ids must be unique.`);
    seen.add(passage.id);
    passages.push({ id: passage.id, topic: passage.topic, title: passage.title, text: passage.text });
  });
  if (passages.length === 0) throw new CorpusError(`${file} holds no passages.`);
  return passages;
}

/** What BM25 indexes and the cross-encoder reads: the title carries words the text often leaves implicit. */
export function passageText(p: Passage): string {
  return `${p.title}. ${p.text}`;
}
