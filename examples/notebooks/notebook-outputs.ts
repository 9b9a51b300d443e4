import { joinText, type Cell, type Notebook } from './notebook-file.js';

/**
 * The cell tag (Jupyter's `metadata.tags`) of a code cell whose output depends on the model: scores, rankings,
 * answers built from them, timings, the model's name or path. Such a cell always runs (CI runs every cell with a
 * generated model), but is committed without outputs: a generated model's random weights would show a ranking
 * that means nothing, and the hub model cannot run where the notebooks are saved.
 */
export const MODEL_DEPENDENT_TAG = 'model-dependent';

export const isModelDependent = (cell: Cell): boolean =>
  Array.isArray(cell.metadata?.['tags']) && (cell.metadata['tags'] as unknown[]).includes(MODEL_DEPENDENT_TAG);

/** A copy of `notebook` whose model-dependent cells hold no outputs (what is committed); the argument is not changed. */
export function withoutModelDependentOutputs(notebook: Notebook): Notebook {
  const copy = structuredClone(notebook);
  for (const cell of copy.cells) {
    if (cell.cell_type === 'code' && isModelDependent(cell)) {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  return copy;
}

/**
 * What a code cell showed, as one comparable string: its stdout, its stderr, then any rich outputs. Streams are
 * joined first because Jupyter splits one cell's stream into as many outputs as the kernel happened to flush.
 */
export function outputText(cell: Cell): string {
  const outputs = cell.outputs ?? [];
  const stream = (name: string) =>
    outputs.map((o) => (o.output_type === 'stream' && o.name === name ? joinText(o.text) : '')).join('');
  const rich = outputs.map((o) => {
    if (o.output_type === 'error') return `${o.ename}: ${o.evalue}`;
    if (o.output_type === 'execute_result' || o.output_type === 'display_data') {
      return Object.entries(o.data).map(([mime, value]) => `${mime}: ${joinText(value)}`).join('\n');
    }
    return '';
  });
  return [stream('stdout'), stream('stderr'), ...rich.filter(Boolean)].join('\n--\n');
}

/**
 * Problems with the outputs committed in a notebook, each a sentence naming the cell and what to do; none means
 * it is fine. `runs` are two fresh runs of the same notebook with generated models of different seeds (so
 * different weights): a cell that printed different things in them depends on the model and must carry the
 * `model-dependent` tag; an untagged cell's committed output must be exactly what both runs printed; a tagged
 * cell's committed outputs must be empty. Without `runs`, only the last rule and "no errors" are checked.
 */
export function committedOutputProblems(committed: Notebook, runs?: readonly [Notebook, Notebook]): string[] {
  const problems: string[] = [];
  const SAVE = 'run `pnpm --filter @crossrank/examples notebooks -- --save --test-model`';
  for (const run of runs ?? []) {
    if (run.cells.length !== committed.cells.length) {
      return [`A fresh run has ${run.cells.length} cells and the committed notebook ${committed.cells.length}: compare runs of this very file.`];
    }
  }
  let codeNumber = 0;
  committed.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    codeNumber++;
    const name = `code cell ${codeNumber} (starting "${joinText(cell.source).split('\n')[0]}")`;
    const saved = outputText(cell);
    if (isModelDependent(cell)) {
      if ((cell.outputs ?? []).length > 0 || (cell.execution_count ?? null) !== null) {
        problems.push(`${name} is tagged ${MODEL_DEPENDENT_TAG} but holds saved outputs: ${SAVE} (it clears them).`);
      }
      return;
    }
    if ((cell.outputs ?? []).some((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'))) {
      problems.push(`${name} holds an error output: fix the cell, then ${SAVE}.`);
    }
    if (!runs) return;
    const [a, b] = runs.map((run) => outputText(run.cells[index]!));
    if (a !== b) {
      problems.push(
        `${name} printed different things with two generated models of different weights, so its output depends on the model: ` +
          `add "${MODEL_DEPENDENT_TAG}" to its metadata.tags (see examples/notebooks/README.md), then ${SAVE}.`,
      );
    } else if (saved !== a) {
      problems.push(`${name}'s saved output is not what its code prints now: ${SAVE}.`);
    }
  });
  return problems;
}
