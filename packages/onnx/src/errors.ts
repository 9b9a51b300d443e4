// The engine throws @crossrank/core's error classes (one identity across every crossrank package);
// this module keeps the engine's `./errors.js` imports pointing at them.
export {
  CrossrankError,
  DisposedError,
  InvalidInputError,
  ModelFormatError,
  ModelNotFoundError,
  RerankAbortedError,
  TokenizerNotFoundError,
  WorkerFailedError,
} from '@crossrank/core';
