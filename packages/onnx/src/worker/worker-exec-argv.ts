import type { Worker, WorkerOptions } from 'node:worker_threads';

/**
 * Which of the process's Node flags a worker thread gets. By default a worker inherits
 * `process.execArgv`, including flags that describe the main script: under `node --input-type=module
 * -e ...` (or a script piped to `node --input-type=module`) every worker fails to start with
 * "--input-type can only be used with string input", because the worker's script is a file.
 * Those flags (the code to eval or print, the input type, the test runner's and watch mode's, syntax
 * check, REPL) say nothing about a worker, so workers start without them.
 */
const MAIN_SCRIPT_FLAGS = new Set(['-e', '--eval', '-p', '--print', '--input-type', '-c', '--check', '-i', '--interactive', '--test', '--watch']);
const MAIN_SCRIPT_PREFIXES = ['--test-', '--experimental-test-', '--watch-'];
/** Main-script flags whose value may be the next element (`-e <code>`, `--input-type module`). */
const TAKES_VALUE = new Set(['-e', '--eval', '-p', '--print', '--input-type']);

function flagName(arg: string): string {
  const eq = arg.indexOf('=');
  return eq < 0 ? arg : arg.slice(0, eq);
}

function isMainScriptFlag(arg: string): boolean {
  const name = flagName(arg);
  return MAIN_SCRIPT_FLAGS.has(name) || MAIN_SCRIPT_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * `execArgv` without the elements `drop` picks, each with its value when given as the next element.
 * `process.execArgv` holds only options and their values (never the script or its arguments), so an
 * element not starting with '-' after a flag without '=' is that flag's value.
 */
function without(execArgv: readonly string[], drop: (arg: string) => boolean): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (!drop(arg)) {
      kept.push(arg);
      continue;
    }
    const next = execArgv[i + 1];
    if (!arg.includes('=') && next !== undefined && (TAKES_VALUE.has(arg) || !next.startsWith('-'))) i++;
  }
  return kept;
}

/** The flags a worker should get, or `undefined` when it can inherit them all (the usual case). */
export function workerExecArgv(execArgv: readonly string[]): string[] | undefined {
  if (!execArgv.some(isMainScriptFlag)) return undefined;
  return without(execArgv, isMainScriptFlag);
}

/** What a worker started with last time in this process, once main-script flags had to go. */
let settled: string[] | undefined;

/**
 * Starts a worker through `create` with the flags that apply to it. An explicit `execArgv` is
 * checked more strictly than an inherited one: process-wide and V8 flags (`--max-old-space-size`,
 * `--expose-gc`, `--title`) make `new Worker` throw ERR_WORKER_INVALID_EXEC_ARGV, which names one of
 * them; inherited, Node skips them (they already apply to the whole process). So each named flag is
 * dropped and the start retried; the constructor throws before any thread starts, so a retry is cheap.
 */
export function withWorkerFlags(create: (options: Pick<WorkerOptions, 'execArgv'>) => Worker): Worker {
  let execArgv = settled ?? workerExecArgv(process.execArgv);
  if (execArgv === undefined) return create({});
  for (;;) {
    try {
      const worker = create({ execArgv });
      settled = execArgv;
      return worker;
    } catch (error) {
      const rejected = rejectedFlag(error, execArgv);
      if (rejected === undefined) throw error;
      execArgv = without(execArgv, (arg) => arg === rejected);
    }
  }
}

/** The element of `execArgv` an ERR_WORKER_INVALID_EXEC_ARGV error names, if it names one. */
function rejectedFlag(error: unknown, execArgv: readonly string[]): string | undefined {
  if ((error as { code?: unknown })?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') return undefined;
  const named = String((error as Error).message).split(': ').pop()?.split(', ')[0]?.trim();
  return named !== undefined && execArgv.includes(named) ? named : undefined;
}
