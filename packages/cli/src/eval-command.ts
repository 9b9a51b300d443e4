import type { Reranker } from '@crossrank/core';
import type { EvalArgs } from './args.js';
import { DataFormatError } from './errors.js';
import { evaluateReranker, type EvaluationReport } from './evaluate.js';
import { loadCandidates, loadQrels } from './load-inputs.js';
import { createProgressBar, type ProgressStream } from './progress.js';
import { buildOutput, formatText } from './report.js';
import { selectJudgedQueries } from './select-queries.js';

export interface LoadedReranker {
  reranker: Reranker;
  /** Shown in the report, e.g. `local Xenova/ms-marco-MiniLM-L-6-v2 (q8)`. */
  label: string;
  /** Frees native resources (ONNX sessions) once the run is over. */
  dispose?: () => unknown;
  /** A caveat printed after the report, e.g. that a generated model's scores mean nothing. */
  note?: string;
}

/** Builds the reranker `--backend` names; injectable so the command can be tested with fakes. */
export type RerankerFactory = (args: EvalArgs, io: CliIO) => Promise<LoadedReranker>;

export interface CliIO {
  stdout: { write(chunk: string): unknown };
  stderr: ProgressStream & { isTTY?: boolean };
}

export async function runEval(args: EvalArgs, io: CliIO, createReranker: RerankerFactory): Promise<void> {
  // Read every input before loading a model: a typo in a path should not wait for a download.
  const qrels = await loadQrels(args.qrels);
  const candidates = await loadCandidates({
    candidates: args.candidates,
    corpus: args.corpus,
    queries: args.queries,
    needTexts: args.backend !== 'none',
  });
  const selection = selectJudgedQueries(candidates, qrels, args.limit);
  if (selection.selected.length === 0) {
    throw new DataFormatError(
      `None of the ${candidates.length} queries in ${args.candidates} has judgments in ${args.qrels}. Check that both files use the same qids.`,
    );
  }

  const loaded = args.backend === 'none' ? null : await createReranker(args, io);
  const bar = io.stderr.isTTY && !args.json ? createProgressBar(io.stderr) : undefined;
  let report: EvaluationReport;
  try {
    report = await evaluateReranker(loaded?.reranker ?? null, selection.selected, qrels, {
      depth: args.depth,
      recallDepths: args.recallDepths,
      relLevel: args.relLevel,
      onProgress: bar ? (done, total) => bar.update(done, total) : undefined,
    });
  } finally {
    bar?.finish();
    await loaded?.dispose?.();
  }
  const output = buildOutput(args, loaded?.label ?? null, selection, report);
  io.stdout.write(args.json ? `${JSON.stringify(output)}\n` : formatText(output));
  // On stderr with --json, so stdout stays one JSON document.
  if (loaded?.note) (args.json ? io.stderr : io.stdout).write(`${args.json ? '' : '\n'}Note: ${loaded.note}\n`);
}
