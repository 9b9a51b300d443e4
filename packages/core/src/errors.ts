// Marks every crossrank error. `Symbol.for` gives the same symbol in every copy of this package and
// every realm, so `isCrossrankError` still works where `instanceof` does not (two installed copies
// of @crossrank/core, a bundle that inlined one, an error rebuilt after crossing a worker).
const MARKER = Symbol.for('crossrank.error');

/**
 * Every error crossrank throws is a `CrossrankError`, so callers can catch the library's failures
 * with one `instanceof` (or {@link isCrossrankError}) and tell them apart by subclass or by the
 * stable `code`. Each class sets `name` as a literal, so minified class names do not change it.
 */
export class CrossrankError extends Error {
  override name = 'CrossrankError';
  readonly code: string = 'CROSSRANK_ERROR';
  /** @internal */
  readonly [MARKER] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Subclasses outside crossrank that set no literal `name` still report their own class name.
    if (new.target !== CrossrankError) this.name = new.target.name;
  }
}

/**
 * True when `error` is a crossrank error (from any installed copy of the packages), and, when `code`
 * is given, one with that `code` (e.g. `'CROSSRANK_MODEL_NOT_FOUND'`).
 *
 * @example
 * ```ts
 * try { await reranker.rerank(query, docs); }
 * catch (e) { if (isCrossrankError(e, 'CROSSRANK_ABORTED')) return []; throw e; }
 * ```
 */
export function isCrossrankError(error: unknown, code?: string): error is CrossrankError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { [MARKER]?: unknown })[MARKER] === true &&
    (code === undefined || (error as CrossrankError).code === code)
  );
}

/** An argument the caller passed is not usable (wrong type, out of range). */
export class InvalidInputError extends CrossrankError {
  override name = 'InvalidInputError';
  override readonly code: string = 'CROSSRANK_INVALID_INPUT';
}

/** The model could not be found at any of the places that were tried. */
export class ModelNotFoundError extends CrossrankError {
  override name = 'ModelNotFoundError';
  override readonly code: string = 'CROSSRANK_MODEL_NOT_FOUND';
  readonly tried: readonly string[];

  constructor(message: string, tried: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.tried = [...tried];
  }
}

/** The model folder has no usable tokenizer files. */
export class TokenizerNotFoundError extends CrossrankError {
  override name = 'TokenizerNotFoundError';
  override readonly code: string = 'CROSSRANK_TOKENIZER_NOT_FOUND';
}

/** A model file exists but cannot be used: corrupt, or not a `[batch, 1 | 2]` classifier. */
export class ModelFormatError extends CrossrankError {
  override name = 'ModelFormatError';
  override readonly code: string = 'CROSSRANK_MODEL_FORMAT';
}

/** The caller's `AbortSignal` fired. */
export class RerankAbortedError extends CrossrankError {
  override name = 'RerankAbortedError';
  override readonly code: string = 'CROSSRANK_ABORTED';
}

/** The instance was disposed and cannot score any more. */
export class DisposedError extends CrossrankError {
  override name = 'DisposedError';
  override readonly code: string = 'CROSSRANK_DISPOSED';
}

/**
 * A worker thread running forward passes died or could not start (or its script could not be
 * found). The calls it was running fail with this error; the worker is replaced for later calls.
 */
export class WorkerFailedError extends CrossrankError {
  override name = 'WorkerFailedError';
  override readonly code: string = 'CROSSRANK_WORKER_FAILED';
  /** The thread's exit code, when it exited. */
  readonly exitCode: number | undefined;

  constructor(message: string, exitCode?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** Every reranker of a `FallbackReranker` failed; `errors[i]` is what reranker `i` threw. */
export class AllRerankersFailedError extends CrossrankError {
  override name = 'AllRerankersFailedError';
  override readonly code: string = 'CROSSRANK_ALL_RERANKERS_FAILED';
  readonly errors: readonly unknown[];

  constructor(names: readonly string[], errors: readonly unknown[]) {
    const lines = errors.map((error, i) => `  ${i}. ${names[i]}: ${error instanceof Error ? error.message : String(error)}`);
    super(`All ${errors.length} rerankers failed:\n${lines.join('\n')}`, { cause: errors[errors.length - 1] });
    this.errors = [...errors];
  }
}

/**
 * A package this call needs is not installed: `model: '<hub id or folder>'` in an adapter needs
 * `@crossrank/onnx`, an optional peer. The message says what to install or pass instead.
 */
export class MissingPackageError extends CrossrankError {
  override name = 'MissingPackageError';
  override readonly code: string = 'CROSSRANK_MISSING_PACKAGE';
  /** The package to install, e.g. `'@crossrank/onnx'`. */
  readonly packageName: string;

  constructor(packageName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.packageName = packageName;
  }
}

/**
 * An options object holds a key the function does not take: usually a typo (`dytpe` for `dtype`),
 * which would otherwise be silently ignored. An `InvalidInputError`, so existing handlers still catch it.
 */
export class UnknownOptionError extends InvalidInputError {
  override name = 'UnknownOptionError';
  override readonly code: string = 'CROSSRANK_UNKNOWN_OPTION';
  /** The key that is not an option. */
  readonly option: string;
  /** The known option it most likely meant, if one is close. */
  readonly suggestion: string | undefined;

  constructor(message: string, option: string, suggestion: string | undefined) {
    super(message);
    this.option = option;
    this.suggestion = suggestion;
  }
}
