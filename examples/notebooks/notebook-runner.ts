import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { NotebookCellError, NotebookSetupError } from './notebook-errors.js';
import { cellErrors, joinText, readNotebook, writeNotebook, type Notebook } from './notebook-file.js';
import { withoutModelDependentOutputs } from './notebook-outputs.js';

/** Our own kernelspec name, so a tslab kernel the user registered globally (maybe another version) is never picked. */
const KERNEL_NAME = 'crossrank-tslab';
const DRIVER = 'execute_notebook.py';
const PYTHON_CANDIDATES = ['python3', '/usr/bin/python3'];
const SETUP_HINT =
  'Install it with `bash .ci/notebooks.sh` (Debian/Ubuntu: apt-get install python3-nbclient) or `python3 -m pip install nbclient`, ' +
  'or point CROSSRANK_NOTEBOOK_PYTHON at a Python that has it.';

export interface RunnerOptions {
  /** The folder holding execute_notebook.py (examples/notebooks); tslab is resolved from there too. */
  dir: string;
  /** Environment for the kernel (and so for the notebook's `process.env`). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Seconds one cell may run. Default 300: a first run downloads the model inside a cell. */
  cellTimeoutS?: number;
}

export interface NotebookRun {
  file: string;
  /** The executed notebook, outputs included. */
  notebook: Notebook;
  ms: number;
}

/**
 * Executes notebooks with Jupyter's nbclient and the tslab TypeScript kernel, exactly as Jupyter runs
 * them for a user: one kernel per notebook, code cells in order, outputs recorded in nbformat.
 * Create it with `NotebookRunner.create`, and `close()` it when done.
 */
export class NotebookRunner {
  private constructor(
    private readonly options: Required<RunnerOptions>,
    private readonly python: string,
    /** A JUPYTER_PATH folder holding only our kernelspec. */
    private readonly jupyterPath: string,
  ) {}

  static async create(options: RunnerOptions): Promise<NotebookRunner> {
    const python = findPython(options.env ?? process.env);
    const jupyterPath = await mkdtemp(join(tmpdir(), 'crossrank-jupyter-'));
    const kernelDir = join(jupyterPath, 'kernels', KERNEL_NAME);
    await mkdir(kernelDir, { recursive: true });
    const spec = {
      // Node runs tslab's script directly: no shell shim, and the same Node as this process.
      argv: [process.execPath, tslabScript(options.dir), 'kernel', '--config-path', '{connection_file}'],
      display_name: 'TypeScript (tslab)',
      language: 'typescript',
    };
    await writeFile(join(kernelDir, 'kernel.json'), JSON.stringify(spec, null, 1));
    return new NotebookRunner({ dir: options.dir, env: options.env ?? process.env, cellTimeoutS: options.cellTimeoutS ?? 300 }, python, jupyterPath);
  }

  /**
   * Runs every code cell of `file` in order and resolves with the executed notebook; rejects with a
   * `NotebookCellError` naming the notebook, the cell and its error at the first failing cell. With
   * `save`, a notebook that ran without error is written back over `file` with its new outputs, except in
   * cells tagged `model-dependent` (see notebook-outputs.ts), which are saved empty. The resolved notebook
   * always has every cell's outputs.
   */
  async execute(file: string, { save = false }: { save?: boolean } = {}): Promise<NotebookRun> {
    const source = readNotebook(file);
    const started = performance.now();
    const out = join(this.jupyterPath, `${basename(file, '.ipynb')}-${process.hrtime.bigint()}.ipynb`);
    const { stdout, stderr, code } = await run(
      this.python,
      [join(this.options.dir, DRIVER), file, out, KERNEL_NAME, String(this.options.cellTimeoutS)],
      { ...this.options.env, JUPYTER_PATH: this.jupyterPath, PYTHONUNBUFFERED: '1' },
    );
    const verdict = lastJsonLine(stdout);
    if (code !== 0 || verdict === undefined) {
      throw new NotebookSetupError(`${basename(file)}: the notebook could not be run (exit code ${code}):\n${stderr.trim() || stdout.trim()}`);
    }
    const notebook = readNotebook(out);
    const ms = performance.now() - started;
    if (verdict.failed) {
      await rm(out, { force: true });
      const { cell: index, error } = verdict.failed;
      const cell = notebook.cells[index] ?? source.cells[index];
      const codeNumber = source.cells.slice(0, index + 1).filter((c) => c.cell_type === 'code').length;
      const firstLine = joinText(cell?.source ?? '').split('\n')[0];
      const detail = (cell && cellErrors(cell)) || error.trim();
      throw new NotebookCellError(
        `${basename(file)}: code cell ${codeNumber} (cell ${index + 1} of ${source.cells.length}, starting "${firstLine}") failed:\n${detail}`,
        file,
        index,
      );
    }
    if (save) writeNotebook(file, withoutModelDependentOutputs(notebook));
    await rm(out, { force: true });
    return { file, notebook, ms };
  }

  async close(): Promise<void> {
    await rm(this.jupyterPath, { recursive: true, force: true });
  }
}

function findPython(env: NodeJS.ProcessEnv): string {
  const chosen = env['CROSSRANK_NOTEBOOK_PYTHON'];
  for (const python of chosen ? [chosen] : PYTHON_CANDIDATES) {
    const probe = spawnSync(python, ['-c', 'import nbclient, nbformat'], { stdio: 'ignore', env });
    if (probe.status === 0) return python;
  }
  const tried = chosen ? `CROSSRANK_NOTEBOOK_PYTHON (${chosen})` : PYTHON_CANDIDATES.join(' and ');
  throw new NotebookSetupError(`Running notebooks needs Jupyter's nbclient, and ${tried} cannot import it. ${SETUP_HINT}`);
}

function tslabScript(dir: string): string {
  try {
    const manifest = createRequire(join(dir, 'package.json')).resolve('tslab/package.json');
    return join(dirname(manifest), 'bin', 'tslab');
  } catch (error) {
    throw new NotebookSetupError(`The tslab kernel is not installed next to ${dir}: run \`pnpm install\` in the repository (tslab is a dev dependency of @crossrank/examples).`, { cause: error });
  }
}

function lastJsonLine(stdout: string): { failed: { cell: number; error: string } | null } | undefined {
  const line = stdout.trim().split('\n').at(-1);
  try {
    return line ? JSON.parse(line) : undefined;
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}
