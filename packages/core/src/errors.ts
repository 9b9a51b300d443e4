/**
 * Every error crossrank throws is a `CrossrankError`, so callers can catch the library's failures
 * with one `instanceof` and tell them apart by subclass (or by the stable `code`).
 */
export class CrossrankError extends Error {
  readonly code: string = 'CROSSRANK_ERROR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An argument the caller passed is not usable (wrong type, out of range). */
export class InvalidInputError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_INVALID_INPUT';
}

/** The model could not be found at any of the places that were tried. */
export class ModelNotFoundError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_MODEL_NOT_FOUND';
  readonly tried: readonly string[];

  constructor(message: string, tried: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.tried = [...tried];
  }
}

/** The model folder has no usable tokenizer files. */
export class TokenizerNotFoundError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_TOKENIZER_NOT_FOUND';
}

/** A model file exists but cannot be used: corrupt, or not a `[batch, 1 | 2]` classifier. */
export class ModelFormatError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_MODEL_FORMAT';
}

/** The caller's `AbortSignal` fired. */
export class RerankAbortedError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_ABORTED';
}

/** The instance was disposed and cannot score any more. */
export class DisposedError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_DISPOSED';
}

/**
 * A worker thread running forward passes died or could not start (or its script could not be
 * found). The calls it was running fail with this error; the worker is replaced for later calls.
 */
export class WorkerFailedError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_WORKER_FAILED';
  /** The thread's exit code, when it exited. */
  readonly exitCode: number | undefined;

  constructor(message: string, exitCode?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}
