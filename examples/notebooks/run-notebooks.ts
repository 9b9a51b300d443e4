/**
 * Runs the notebooks in this folder (or the ones named) with the tslab kernel, every code cell in order,
 * and exits 1 at the first failing cell, naming the notebook, the cell and its error.
 *
 *   pnpm --filter @crossrank/examples notebooks [-- [--save] [--test-model] [notebook.ipynb ...]]
 *
 *   --save        write each notebook's new outputs back into it (only when it ran without error), except
 *                 in cells tagged `model-dependent`, which are saved empty (see notebook-outputs.ts)
 *   --test-model  use a generated model (offline; its scores mean nothing) instead of CROSSRANK_MODEL or
 *                 the default hub model; the saved outputs in the repository come from such a run
 *
 * Needs Jupyter's nbclient (python3-nbclient, or pip install nbclient); `bash .ci/notebooks.sh` installs it.
 */
import { CrossrankError } from '@crossrank/core';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NotebookRunner } from './notebook-runner.js';
import { codeCellCount } from './notebook-file.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));

// `pnpm <script> -- --save` passes the `--` through; npm and a direct call do not.
const argv = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: { save: { type: 'boolean', default: false }, 'test-model': { type: 'boolean', default: false } },
  allowPositionals: true,
});
const files = positionals.length > 0
  ? positionals.map((file) => resolve(file))
  : readdirSync(DIR).filter((name) => name.endsWith('.ipynb')).sort().map((name) => join(DIR, name));

const env: NodeJS.ProcessEnv = { ...process.env };
if (values['test-model']) {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('notebooks'), force: true });
  // Regenerated (force) so saved outputs always come from the current generator. The path is relative
  // to the notebooks (the kernel's working folder), so saved outputs show no machine's paths.
  env['CROSSRANK_MODEL'] = relative(DIR, dir);
  console.log(`Using a generated model (its scores mean nothing): ${env['CROSSRANK_MODEL']}`);
}

let runner: NotebookRunner | undefined;
try {
  runner = await NotebookRunner.create({ dir: DIR, env });
  for (const file of files) {
    const { notebook, ms } = await runner.execute(file, { save: values.save });
    console.log(`ok ${relative(process.cwd(), file)}: ${codeCellCount(notebook)} code cells in ${(ms / 1000).toFixed(1)} s${values.save ? ', outputs saved' : ''}`);
  }
} catch (error) {
  // The runner's errors name the notebook and cell and say what to do; no stack trace needed.
  if (!(error instanceof CrossrankError)) throw error;
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await runner?.close();
}
