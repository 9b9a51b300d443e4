import { CrossrankError } from '@crossrank/core';
import { parseEvalArgs } from './args.js';
import { UsageError } from './errors.js';
import { runEval, type CliIO, type RerankerFactory } from './eval-command.js';
import { parseServeArgs, type ServeArgs } from './serve/serve-args.js';
import { EVAL_USAGE, MAIN_USAGE, SERVE_USAGE } from './usage.js';

export interface CliDeps {
  createReranker: RerankerFactory;
  version: string;
  /** Shown in `eval --help` as the local backend's default model. */
  defaultModel: string;
  /** Runs `crossrank serve` until a signal stops it; absent where the command is not wired (tests). */
  serve?: (args: ServeArgs) => Promise<void>;
}

/**
 * Runs one `crossrank` invocation and returns its exit code: 0 ok, 1 failure, 2 bad arguments.
 * Known failures print their message only; a stack trace is kept for genuine bugs.
 */
export async function runCli(argv: readonly string[], io: CliIO, deps: CliDeps): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr.write(MAIN_USAGE);
      return 2;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(rest[0] === 'eval' ? evalUsage(deps) : rest[0] === 'serve' ? SERVE_USAGE : MAIN_USAGE);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout.write(`${deps.version}\n`);
      return 0;
    }
    if (command === 'serve') {
      const parsed = parseServeArgs(rest);
      if (parsed.help) {
        io.stdout.write(SERVE_USAGE);
        return 0;
      }
      if (!deps.serve) throw new UsageError('crossrank serve is not available in this build.');
      await deps.serve(parsed);
      return 0;
    }
    if (command !== 'eval') {
      throw new UsageError(`Unknown command "${command}". Run "crossrank --help" for the commands.`);
    }
    const parsed = parseEvalArgs(rest);
    if (parsed.help) {
      io.stdout.write(evalUsage(deps));
      return 0;
    }
    await runEval(parsed, io, deps.createReranker);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || codeOf(error) === 'CROSSRANK_USAGE') {
      io.stderr.write(`crossrank: ${(error as Error).message}\n`);
      return 2;
    }
    // By code too: a CrossrankError from another copy of core (CJS beside ESM) fails `instanceof`.
    if (error instanceof CrossrankError || codeOf(error)?.startsWith('CROSSRANK_')) {
      io.stderr.write(`crossrank: ${(error as Error).message}\n`);
      return 1;
    }
    io.stderr.write(`crossrank: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

function evalUsage(deps: CliDeps): string {
  return EVAL_USAGE.replace('%DEFAULT_MODEL%', deps.defaultModel);
}

function codeOf(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
