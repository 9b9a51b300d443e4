import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { Document, MetadataMode } from 'llamaindex';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotebookCellError } from './notebook-errors';
import { cellStdout, joinText, readNotebook, type Notebook } from './notebook-file';
import { committedOutputProblems, MODEL_DEPENDENT_TAG } from './notebook-outputs';
import { NotebookRunner, type NotebookRun } from './notebook-runner';

// Executes every notebook as Jupyter does (nbclient + the tslab kernel), with no OPENAI_API_KEY, twice: with a
// generated model (seed 42) and with another of different weights (seed 7). The first run's printed top 3 is
// checked against the cross-encoder's own ranking; the two runs together tell which cells' outputs depend on
// the model, and such cells must be committed empty (notebook-outputs.ts). All kernels start together in
// beforeAll; each is its own process, so they overlap.
const DIR = __dirname;
/** Every notebook in the folder, so a new one is checked without being listed here. */
const NOTEBOOKS = readdirSync(DIR).filter((name) => name.endsWith('.ipynb')).sort();
/** Six kernels share the machine's cores, and each type-checks every cell. */
const RUN_TIMEOUT_MS = 600_000;
/** The notebooks' documents by text, to look up what a printed line refers to. */
const PASSAGES = new Map(
  readFileSync(join(DIR, 'data', 'tides.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const passage = JSON.parse(line) as { title: string; source: string; text: string };
      return [passage.text, passage] as const;
    }),
);

let model: string;
const runners: NotebookRunner[] = [];
/** Per notebook: the run with the seed-42 model, and the run with the seed-7 model. */
const runs = new Map<string, [Promise<NotebookRun>, Promise<NotebookRun>]>();
let scratch: string;
let broken: Promise<NotebookRun>;
let tagged: Promise<NotebookRun>;
const BROKEN_SOURCE = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
  cells: [
    { cell_type: 'markdown', metadata: {}, source: '# A notebook whose second code cell throws' },
    { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: "console.log('first cell ran');" },
    { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: "throw new Error('the second cell failed');" },
    { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: "require('node:fs').writeFileSync('third-cell-ran', '');" },
  ],
});
const TAGGED_SOURCE = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
  cells: [
    { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: "console.log('kept');" },
    { cell_type: 'code', metadata: { tags: [MODEL_DEPENDENT_TAG] }, execution_count: null, outputs: [], source: "console.log('not saved');" },
  ],
});

async function runnerFor(modelDir: string): Promise<NotebookRunner> {
  const env: NodeJS.ProcessEnv = { ...process.env, CROSSRANK_MODEL: modelDir };
  delete env['OPENAI_API_KEY'];
  const runner = await NotebookRunner.create({ dir: DIR, env });
  runners.push(runner);
  return runner;
}

beforeAll(async () => {
  const [first, second] = await Promise.all([
    createTestCrossEncoder({ dir: defaultTestModelDir('notebooks') }),
    createTestCrossEncoder({ dir: defaultTestModelDir('notebooks-seed-7'), seed: 7 }),
  ]);
  model = first.dir;
  const [runner, otherWeights] = [await runnerFor(first.dir), await runnerFor(second.dir)];
  for (const name of NOTEBOOKS) runs.set(name, [runner.execute(join(DIR, name)), otherWeights.execute(join(DIR, name))]);
  // Inside examples/ (git-ignored .cache) so the kernel resolves @types/node as the real notebooks do.
  await mkdir(join(DIR, '.cache'), { recursive: true });
  scratch = await mkdtemp(join(DIR, '.cache', 'broken-'));
  await writeFile(join(scratch, 'broken.ipynb'), BROKEN_SOURCE);
  broken = runner.execute(join(scratch, 'broken.ipynb'), { save: true });
  await writeFile(join(scratch, 'tagged.ipynb'), TAGGED_SOURCE);
  tagged = otherWeights.execute(join(scratch, 'tagged.ipynb'), { save: true });
  // Awaited in the tests; this only keeps a failure from surfacing as an unhandled rejection first.
  for (const run of [...[...runs.values()].flat(), broken, tagged]) run.catch(() => undefined);
}, RUN_TIMEOUT_MS);

afterAll(async () => {
  await Promise.allSettled([...[...runs.values()].flat(), broken, tagged]);
  await Promise.all(runners.map((runner) => runner.close()));
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, RUN_TIMEOUT_MS);

const firstRun = async (name: string) => (await runs.get(name)![0]).notebook;
const bothRuns = async (name: string) => {
  const [a, b] = await Promise.all(runs.get(name)!);
  return [a.notebook, b.notebook] as const;
};

/** The stdout of the first code cell that printed `marker`, as lines. */
function printed(notebook: Notebook, marker: string): string[] {
  const cell = notebook.cells.find((c) => cellStdout(c).includes(marker));
  if (!cell) throw new Error(`No cell printed "${marker}".`);
  return cellStdout(cell).split('\n');
}

const numbered = (lines: string[]) => lines.filter((line) => /^\s*\d+\. /.test(line));

async function crossEncoderTop3(query: string, texts: string[]) {
  const encoder = await CrossEncoder.load(model, { localFilesOnly: true });
  try {
    return await encoder.rerank(query, texts, { topN: 3 });
  } finally {
    await encoder.dispose();
  }
}

it('langchain-rerank.ipynb retrieves 20, prints the cross-encoder top 3 and runs the chain without a key', async () => {
  const notebook = await firstRun('langchain-rerank.ipynb');
  const query = printed(notebook, 'Query: ')[1]!.replace('Query: ', '');
  const candidates = numbered(printed(notebook, "The vector store's top 20:")).map((line) => PASSAGES.get(line.replace(/^\s*\d+\. [^:]+: /, ''))!);
  expect(candidates).toHaveLength(20);
  expect(candidates.every(Boolean)).toBe(true);

  const best = await crossEncoderTop3(query, candidates.map((p) => p.text));
  const expected = best.map(({ index, score }, i) => `${i + 1}. [${score.toFixed(4)}] (was #${index + 1}) ${candidates[index]!.title}: ${candidates[index]!.text}`);
  expect(numbered(printed(notebook, 'Top 3 of 20'))).toEqual(expected);

  const chain = printed(notebook, 'Answer: ');
  expect(chain[0]).toMatch(/^Answer: \(Generation skipped: OPENAI_API_KEY is not set\. The prompt has \d+ characters\.\)$/);
  expect(numbered(chain)).toEqual(best.map(({ index }, i) => `${i + 1}. ${candidates[index]!.title} (${candidates[index]!.source})`));
  expect(printed(notebook, 'Model disposed.')).toBeTruthy();
}, RUN_TIMEOUT_MS);

it('llamaindex-rerank.ipynb retrieves 20 nodes and prints the cross-encoder top 3 source nodes without a key', async () => {
  const notebook = await firstRun('llamaindex-rerank.ipynb');
  const question = printed(notebook, 'Question: ')[1]!.replace('Question: ', '');
  const candidates = numbered(printed(notebook, "The index's top 20:")).map((line) => PASSAGES.get(line.replace(/^\s*\d+\. \[[\d.]+\] [^:]+: /, ''))!);
  expect(candidates).toHaveLength(20);
  expect(candidates.every(Boolean)).toBe(true);

  // CrossEncoderRerank scores the text a node was embedded as: its metadata lines, then its text.
  const embedded = candidates.map(({ title, source, text }) => new Document({ text, metadata: { title, source } }).getContent(MetadataMode.EMBED));
  const best = await crossEncoderTop3(question, embedded);
  const expected = best.map(({ index, score }, i) => `${i + 1}. [${score.toFixed(4)}] (was #${index + 1}) ${candidates[index]!.title}: ${candidates[index]!.text}`);
  const answer = printed(notebook, 'Top 3 of 20');
  expect(numbered(answer)).toEqual(expected);
  expect(answer[0]).toBe('Generation skipped: OPENAI_API_KEY is not set.');
  expect(printed(notebook, 'Model disposed.')).toBeTruthy();
}, RUN_TIMEOUT_MS);

// The committed outputs: exactly what the current code prints, except in cells whose output changes with the
// model's weights, which must be tagged model-dependent and saved empty (the rules: notebook-outputs.ts).
it.each(NOTEBOOKS)('%s has saved outputs from a run of its current code cells, and none that depend on the model', async (name) => {
  const saved = readNotebook(join(DIR, name));
  expect(committedOutputProblems(saved, await bothRuns(name))).toEqual([]);
}, RUN_TIMEOUT_MS);

// The check above can fail: with the tags taken off (the outputs still empty), the cells that print the
// reranked top 3 are reported, because the two models of different weights printed different things there.
it.each([
  ['langchain-rerank.ipynb', 'import { CrossEncoderReranker }'],
  ['llamaindex-rerank.ipynb', 'const started = performance.now();'],
])('%s: an untagged cell that prints the reranked top 3 is reported as model-dependent', async (name, rerankCell) => {
  const untagged = readNotebook(join(DIR, name));
  const taggedCells = untagged.cells.filter((cell) => (cell.metadata?.['tags'] as string[] | undefined)?.includes(MODEL_DEPENDENT_TAG));
  expect(taggedCells.filter((cell) => joinText(cell.source).startsWith(rerankCell))).toHaveLength(1);
  for (const cell of taggedCells) cell.metadata = {};
  const problems = committedOutputProblems(untagged, await bothRuns(name));
  const reported = problems.filter((problem) => problem.includes(`(starting "${rerankCell}`));
  expect(reported).toEqual([expect.stringContaining('printed different things with two generated models of different weights')]);
}, RUN_TIMEOUT_MS);

it('stops at the first failing cell, names the notebook, the cell and the error, and does not save', async () => {
  const error = await broken.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(NotebookCellError);
  const { message, cellIndex } = error as NotebookCellError;
  expect(cellIndex).toBe(2);
  expect(message).toMatch(/^broken\.ipynb: code cell 2 \(cell 3 of 4, starting "throw new Error\('the second cell failed'\);"\) failed:\n/);
  expect(message).toContain('Error: the second cell failed');
  await expect(readFile(join(scratch, 'third-cell-ran'))).rejects.toThrow();
  expect(await readFile(join(scratch, 'broken.ipynb'), 'utf8')).toBe(BROKEN_SOURCE);
}, RUN_TIMEOUT_MS);

it('saves a model-dependent cell empty and keeps the other outputs, and resolves with every output', async () => {
  const { notebook: executed } = await tagged;
  expect(executed.cells.map(cellStdout)).toEqual(['kept\n', 'not saved\n']);
  const saved = readNotebook(join(scratch, 'tagged.ipynb'));
  expect(saved.cells.map(cellStdout)).toEqual(['kept\n', '']);
  expect(saved.cells[1]).toMatchObject({ outputs: [], execution_count: null, metadata: { tags: [MODEL_DEPENDENT_TAG] } });
  expect(committedOutputProblems(saved, [executed, executed])).toEqual([]);
}, RUN_TIMEOUT_MS);
