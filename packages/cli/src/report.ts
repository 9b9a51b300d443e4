import type { EvalArgs } from './args.js';
import type { EvaluationReport } from './evaluate.js';
import type { QuerySelection } from './select-queries.js';

export interface EvalOutput extends EvaluationReport {
  candidates: string;
  qrels: string;
  /** What reranked, e.g. `local cross-encoder/ms-marco-MiniLM-L-6-v2 (q8)`; null for `--backend none`. */
  reranker: string | null;
  depth: number;
  relLevel: number;
  skipped: { unjudged: number; unretrieved: number };
}

export function buildOutput(args: EvalArgs, reranker: string | null, selection: QuerySelection, report: EvaluationReport): EvalOutput {
  return {
    candidates: args.candidates,
    qrels: args.qrels,
    reranker,
    depth: args.depth,
    relLevel: args.relLevel,
    skipped: { unjudged: selection.unjudged.length, unretrieved: selection.unretrieved.length },
    ...report,
  };
}

/** The human-readable report: a before/after table, throughput, and what was left out. */
export function formatText(output: EvalOutput): string {
  const lines: string[] = [];
  lines.push(
    `${output.queries} judged queries, depth ${output.depth}, relevant = grade >= ${output.relLevel}` +
      (output.reranker ? `, reranker: ${output.reranker}` : ', no reranker'),
    '',
  );
  const nameWidth = Math.max(8, ...output.metrics.map((name) => name.length)) + 2;
  const cell = (text: string) => text.padStart(9);
  if (output.after) {
    lines.push('metric'.padEnd(nameWidth) + cell('before') + cell('after') + cell('change'));
    for (const name of output.metrics) {
      const before = output.before[name]!;
      const after = output.after[name]!;
      const change = after - before;
      const sign = change > 0 ? '+' : change < 0 ? '-' : ' ';
      lines.push(name.padEnd(nameWidth) + cell(before.toFixed(4)) + cell(after.toFixed(4)) + cell(sign + Math.abs(change).toFixed(4)));
    }
  } else {
    lines.push('metric'.padEnd(nameWidth) + cell('run'));
    for (const name of output.metrics) lines.push(name.padEnd(nameWidth) + cell(output.before[name]!.toFixed(4)));
  }
  if (output.rerank) {
    const { documents, seconds, queriesPerSecond, documentsPerSecond } = output.rerank;
    lines.push(
      '',
      `Reranked ${documents} documents in ${seconds.toFixed(2)} s: ${queriesPerSecond.toFixed(2)} queries/s, ` +
        `${documentsPerSecond.toFixed(1)} documents/s (rerank time only).`,
    );
  }
  const { unjudged, unretrieved } = output.skipped;
  if (unjudged > 0 || unretrieved > 0) {
    lines.push(
      '',
      `Not evaluated: ${unjudged} quer${unjudged === 1 ? 'y' : 'ies'} without judgments, ` +
        `${unretrieved} judged quer${unretrieved === 1 ? 'y' : 'ies'} without candidates (as trec_eval, without -c).`,
    );
  }
  return lines.join('\n') + '\n';
}
