import type { Passage } from './corpus.js';

export interface Candidate {
  /** 1-based BM25 rank. */
  rank: number;
  passage: Passage;
  bm25: number;
}

export interface RerankedPassage {
  /** 1-based rank after reranking. */
  rank: number;
  /** 1-based BM25 rank it came from. */
  was: number;
  score: number;
  passage: Passage;
}

export type GenerationTiming = { kind: 'done'; ms: number } | { kind: 'failed'; ms: number } | { kind: 'skipped' };

export interface Timings {
  retrievalMs: number;
  indexMs: number;
  corpusSize: number;
  candidates: number;
  rerankMs: number;
  loadMs: number;
  generation: GenerationTiming;
}

/** "↑6" when a passage climbed six places, "↓2" when it fell, "=" when it kept its rank. */
export function movement(was: number, now: number): string {
  if (was === now) return '=';
  return was > now ? `↑${was - now}` : `↓${now - was}`;
}

export function formatCandidates(query: string, candidates: readonly Candidate[], reranked: readonly RerankedPassage[], corpusSize: number, width: number): string {
  const newRank = new Map(reranked.map((r) => [r.was, r.rank]));
  const idWidth = Math.max(2, ...candidates.map((c) => c.passage.id.length));
  const rows = candidates.map((c) => {
    const moved = newRank.has(c.rank) ? `→ ${newRank.get(c.rank)}` : '';
    const prefix = `${pad(c.rank, 4)}  ${c.passage.id.padEnd(idWidth)}  ${c.bm25.toFixed(2).padStart(6)}  ${moved.padEnd(4)}  `;
    return prefix + snippet(c.passage, width - prefix.length);
  });
  const header = `${'#'.padStart(4)}  ${'id'.padEnd(idWidth)}  ${'BM25'.padStart(6)}  ${'now'.padEnd(4)}  passage`;
  return [`BM25: top ${candidates.length} of ${corpusSize} passages for ${JSON.stringify(query)}`, header, ...rows].join('\n');
}

export function formatReranked(reranked: readonly RerankedPassage[], modelLabel: string, width: number): string {
  const idWidth = Math.max(2, ...reranked.map((r) => r.passage.id.length));
  const rows = reranked.map((r) => {
    const prefix = `${pad(r.rank, 4)}  ${pad(r.was, 4)}  ${movement(r.was, r.rank).padStart(5)}  ${r.score.toFixed(4)}  ${r.passage.id.padEnd(idWidth)}  `;
    return prefix + snippet(r.passage, width - prefix.length);
  });
  const header = `${'#'.padStart(4)}  ${'was'.padStart(4)}  ${'moved'.padStart(5)}  ${'score'.padEnd(6)}  ${'id'.padEnd(idWidth)}  passage`;
  return [`Reranked: top ${reranked.length} by ${modelLabel}`, header, ...rows].join('\n');
}

export function formatLatency(t: Timings): string {
  const generation =
    t.generation.kind === 'skipped'
      ? ['generation', 'skipped', 'set OPENAI_API_KEY to generate an answer']
      : ['generation', ms(t.generation.ms), t.generation.kind === 'done' ? 'gpt-4o-mini, one request' : 'failed (see above)'];
  const rows = [
    ['retrieval', ms(t.retrievalMs), `BM25 over ${t.corpusSize} passages (index built once in ${ms(t.indexMs)})`],
    ['rerank', ms(t.rerankMs), `${t.candidates} pairs through the cross-encoder (model load ${ms(t.loadMs)}, not counted)`],
    generation,
  ];
  return ['Latency', ...rows.map(([name, value, note]) => `  ${name!.padEnd(10)}  ${value!.padStart(9)}   ${note}`)].join('\n');
}

/** Word-wraps `text` to `width` columns, each line indented by `indent`. */
export function wrap(text: string, width: number, indent = '  '): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && indent.length + line.length + 1 + word.length > width) {
        lines.push(indent + line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(indent + line);
  }
  return lines.join('\n');
}

function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}

function snippet(p: Passage, room: number): string {
  const text = `${p.title}: ${p.text}`;
  const max = Math.max(20, room);
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
