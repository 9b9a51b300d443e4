import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readNotebook, type Cell, type Notebook, type Output } from './notebook-file';
import { committedOutputProblems, MODEL_DEPENDENT_TAG, outputText, withoutModelDependentOutputs } from './notebook-outputs';

// The checker on doctored notebooks (fast, no kernel); notebooks.test.ts runs it on real runs.
const DIR = __dirname;
const NOTEBOOKS = readdirSync(DIR).filter((name) => name.endsWith('.ipynb')).sort();

const stdout = (...chunks: string[]): Output[] => chunks.map((text) => ({ output_type: 'stream', name: 'stdout', text }));
const code = (source: string, outputs: Output[], tags?: string[]): Cell => ({
  cell_type: 'code',
  source,
  metadata: tags ? { tags } : {},
  outputs,
  execution_count: outputs.length > 0 ? 1 : null,
});
const notebook = (...cells: Cell[]): Notebook => ({ nbformat: 4, metadata: {}, cells: [{ cell_type: 'markdown', source: '# t' }, ...cells] });

/** A committed notebook as it should be: the documents cell saved, the rerank cell tagged and empty. */
const committed = () =>
  notebook(code("console.log('40 documents');", stdout('40 documents\n')), code('console.log(top3);', [], [MODEL_DEPENDENT_TAG]));
/** Two runs with models of different weights: the documents the same, the top 3 not. */
const runs = () =>
  [
    notebook(code("console.log('40 documents');", stdout('40 ', 'documents\n')), code('console.log(top3);', stdout('1. [0.7299] Calendars\n'))),
    notebook(code("console.log('40 documents');", stdout('40 documents\n')), code('console.log(top3);', stdout('1. [0.9912] Tides\n'))),
  ] as const;

it.each(NOTEBOOKS)('committed %s holds no outputs in its model-dependent cells, and no errors', (name) => {
  const saved = readNotebook(join(DIR, name));
  expect(saved.cells.some((cell) => (cell.metadata?.['tags'] as unknown[] | undefined)?.includes(MODEL_DEPENDENT_TAG))).toBe(true);
  expect(committedOutputProblems(saved)).toEqual([]);
});

it('passes a notebook whose tagged cells are empty and whose other outputs match both runs', () => {
  expect(committedOutputProblems(committed(), runs())).toEqual([]);
});

it('reports a tagged cell that holds saved outputs, with or without runs', () => {
  const doctored = committed();
  doctored.cells[2] = code('console.log(top3);', stdout('1. [0.7299] Calendars\n'), [MODEL_DEPENDENT_TAG]);
  const expected = [`code cell 2 (starting "console.log(top3);") is tagged ${MODEL_DEPENDENT_TAG} but holds saved outputs: run \`pnpm --filter @crossrank/examples notebooks -- --save --test-model\` (it clears them).`];
  expect(committedOutputProblems(doctored)).toEqual(expected);
  expect(committedOutputProblems(doctored, runs())).toEqual(expected);
  // Only an execution count left behind counts too: the cell was run and saved.
  doctored.cells[2] = { ...code('console.log(top3);', [], [MODEL_DEPENDENT_TAG]), execution_count: 3 };
  expect(committedOutputProblems(doctored)).toEqual(expected);
});

it('reports an untagged cell whose output differs between the two runs, even when it is saved empty', () => {
  const doctored = committed();
  doctored.cells[2] = code('console.log(top3);', []);
  expect(committedOutputProblems(doctored, runs())).toEqual([
    expect.stringMatching(/^code cell 2 \(starting "console\.log\(top3\);"\) printed different things with two generated models of different weights, so its output depends on the model: add "model-dependent" to its metadata\.tags/),
  ]);
  // Saved with the first run's outputs, as a `--save` before the tag existed would do: still reported.
  doctored.cells[2] = code('console.log(top3);', stdout('1. [0.7299] Calendars\n'));
  expect(committedOutputProblems(doctored, runs())).toEqual([expect.stringContaining('printed different things')]);
  // Without runs the static check cannot know: this is why notebooks.test.ts runs two models.
  expect(committedOutputProblems(doctored)).toEqual([]);
});

it('reports an untagged cell whose saved output is not what the code prints now', () => {
  const doctored = committed();
  doctored.cells[1] = code("console.log('40 documents');", stdout('39 documents\n'));
  expect(committedOutputProblems(doctored, runs())).toEqual([
    'code cell 1 (starting "console.log(\'40 documents\');")\'s saved output is not what its code prints now: run `pnpm --filter @crossrank/examples notebooks -- --save --test-model`.',
  ]);
});

it('reports saved errors in untagged cells', () => {
  const doctored = committed();
  doctored.cells[1] = code("console.log('40 documents');", [{ output_type: 'stream', name: 'stderr', text: 'TypeError: x is undefined\n' }]);
  expect(committedOutputProblems(doctored)).toEqual([expect.stringContaining('code cell 1 (starting "console.log(\'40 documents\');") holds an error output')]);
});

it('refuses runs of another notebook (a different number of cells)', () => {
  const [a, b] = runs();
  const other = { ...b, cells: b.cells.slice(1) };
  expect(committedOutputProblems(committed(), [a, other])).toEqual([expect.stringContaining('A fresh run has 2 cells and the committed notebook 3')]);
});

it('compares a stream however the kernel split it', () => {
  const [a, b] = runs();
  expect(outputText(a.cells[1]!)).toBe(outputText(b.cells[1]!));
  expect(outputText(code('', stdout('a\n')))).not.toBe(outputText(code('', [{ output_type: 'stream', name: 'stderr', text: 'a\n' }])));
});

it('clears only the tagged cells, in a copy', () => {
  const [run] = runs();
  const executed = structuredClone(run);
  executed.cells[2]!.metadata = { tags: ['other', MODEL_DEPENDENT_TAG] };
  const before = JSON.stringify(executed);
  const saved = withoutModelDependentOutputs(executed);
  expect(JSON.stringify(executed)).toBe(before);
  expect(saved.cells[1]).toEqual(executed.cells[1]);
  expect(saved.cells[2]).toMatchObject({ outputs: [], execution_count: null, metadata: { tags: ['other', MODEL_DEPENDENT_TAG] } });
});
