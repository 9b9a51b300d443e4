import {
  CrossrankError,
  DisposedError,
  InvalidInputError,
  ModelFormatError,
  ModelNotFoundError,
  RerankAbortedError,
  TokenizerNotFoundError,
  WorkerFailedError,
} from '../errors.js';

/**
 * An error as it crosses the worker boundary. A structured clone keeps `message` and `stack` but
 * not the subclass or its fields, so errors travel as data and are rebuilt on the other side.
 */
export interface SerializedError {
  code: string;
  message: string;
  fields: Record<string, unknown>;
}

type Rebuild = (message: string, fields: Record<string, unknown>) => CrossrankError;

/** `code` -> class, for every error a worker can raise. Unknown codes become a plain `CrossrankError`. */
const REBUILD: Readonly<Record<string, Rebuild>> = {
  CROSSRANK_INVALID_INPUT: (message) => new InvalidInputError(message),
  CROSSRANK_MODEL_NOT_FOUND: (message, fields) => new ModelNotFoundError(message, Array.isArray(fields['tried']) ? (fields['tried'] as string[]) : []),
  CROSSRANK_TOKENIZER_NOT_FOUND: (message) => new TokenizerNotFoundError(message),
  CROSSRANK_MODEL_FORMAT: (message) => new ModelFormatError(message),
  CROSSRANK_ABORTED: (message) => new RerankAbortedError(message),
  CROSSRANK_DISPOSED: (message) => new DisposedError(message),
  CROSSRANK_WORKER_FAILED: (message, fields) =>
    new WorkerFailedError(message, typeof fields['exitCode'] === 'number' ? fields['exitCode'] : undefined),
};

/**
 * In the worker: any thrown value as `{ code, message, fields }` (own data fields of crossrank
 * errors). Anything else keeps its message after `what` failed (the session role: ONNX Runtime).
 */
export function serializeError(error: unknown, what = 'ONNX Runtime'): SerializedError {
  if (error instanceof CrossrankError) {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(error)) {
      if (key !== 'code' && key !== 'name' && key !== 'message' && key !== 'stack' && key !== 'cause' && isPlainData(value)) fields[key] = value;
    }
    return { code: error.code, message: error.message, fields };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'CROSSRANK_ERROR', message: `${what} failed in a worker thread: ${message}`, fields: {} };
}

/** On the calling thread: the same class, message and fields as the worker threw. */
export function rebuildError(serialized: SerializedError): CrossrankError {
  const rebuild = Object.hasOwn(REBUILD, serialized.code) ? REBUILD[serialized.code]! : undefined;
  return rebuild ? rebuild(serialized.message, serialized.fields) : new CrossrankError(serialized.message);
}

function isPlainData(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return true;
  return Array.isArray(value) && value.every((item) => ['string', 'number', 'boolean'].includes(typeof item));
}
