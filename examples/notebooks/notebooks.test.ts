import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { Document, MetadataMode } from 'llamaindex';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotebookCellError } from './notebook-errors';
import { cellErrors, cellStdout, readNotebook, type Notebook } from './notebook-file';
import { NotebookRunner, type NotebookRun } from './notebook-runner';

// Executes every notebook as Jupyter does (nbclient + the tslab kernel), with a generated model and no
// OPENAI_API_KEY, and checks what the cells printed against the cross-encoder's own ranking. All
// kernels start together in beforeAll; each is its own process, so they overlap.
const DIR = __dirname;
const NOTEBOOKS = ['langchain-rerank.ipynb', 'llamaindex-rerank.ipynb'];
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
let runner: NotebookRunner;
const runs = new Map<string, Promise<NotebookRun>>();
let scratch: string;
let broken: Promise<NotebookRun>;
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

beforeAll(async () => {
  ({ dir: model } = await createTestCrossEncoder({ dir: defaultTestModelDir('notebooks') }));
  const env: NodeJS.ProcessEnv = { ...process.env, CROSSRANK_MODEL: model };
  delete env['OPENAI_API_KEY'];
  runner = await NotebookRunner.create({ dir: DIR, env });
  for (const name of NOTEBOOKS) runs.set(name, runner.execute(join(DIR, name)));
  // Inside examples/ (git-ignored .cache) so the kernel resolves @types/node as the real notebooks do.
  await mkdir(join(DIR, '.cache'), { recursive: true });
  scratch = await mkdtemp(join(DIR, '.cache', 'broken-'));
  await writeFile(join(scratch, 'broken.ipynb'), BROKEN_SOURCE);
  broken = runner.execute(join(scratch, 'broken.ipynb'), { save: true });
  // Awaited in the tests; this only keeps a failure from surfacing as an unhandled rejection first.
  for (const run of [...runs.values(), broken]) run.catch(() => undefined);
});

afterAll(async () => {
  await Promise.allSettled([...runs.values(), broken]);
  await runner?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

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
  const { notebook } = await runs.get('langchain-rerank.ipynb')!;
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
});

it('llamaindex-rerank.ipynb retrieves 20 nodes and prints the cross-encoder top 3 source nodes without a key', async () => {
  const { notebook } = await runs.get('llamaindex-rerank.ipynb')!;
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
});

// The notebooks' saved outputs must come from a run of their current code: a fresh run prints the same
// lines, apart from timings, the model's path and what depends on the model's weights (scores, which 3
// passages win), so a change to the generated test model does not call for saving the notebooks again.
function normalize(notebook: Notebook): string[] {
  return notebook.cells
    .filter((cell) => cell.cell_type === 'code')
    .map((cell) =>
      cellStdout(cell)
        .replace(/^Model: .*$/m, 'Model: <path>')
        .replace(/\d+ ms\b/g, 'N ms')
        .replace(/\[\d\.\d{4}\]/g, '[score]')
        .replace(/\(was #\d+\) .*$/gm, '(was #k) <passage>')
        .replace(/The prompt has \d+ characters/g, 'The prompt has N characters')
        .replace(/^(\d+)\. [^:\n]+ \((\w+\.md)\)$/gm, '$1. <title> (<source>)'),
    );
}

it.each(NOTEBOOKS)('%s has saved outputs from a run of its current code cells', async (name) => {
  const saved = readNotebook(join(DIR, name));
  const { notebook: fresh } = await runs.get(name)!;
  expect(saved.cells.map(cellErrors).filter(Boolean)).toEqual([]);
  // If this fails after editing a notebook: pnpm --filter @crossrank/examples notebooks -- --save --test-model
  expect(normalize(saved)).toEqual(normalize(fresh));
});

it('stops at the first failing cell, names the notebook, the cell and the error, and does not save', async () => {
  const error = await broken.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(NotebookCellError);
  const { message, cellIndex } = error as NotebookCellError;
  expect(cellIndex).toBe(2);
  expect(message).toMatch(/^broken\.ipynb: code cell 2 \(cell 3 of 4, starting "throw new Error\('the second cell failed'\);"\) failed:\n/);
  expect(message).toContain('Error: the second cell failed');
  await expect(readFile(join(scratch, 'third-cell-ran'))).rejects.toThrow();
  expect(await readFile(join(scratch, 'broken.ipynb'), 'utf8')).toBe(BROKEN_SOURCE);
});
