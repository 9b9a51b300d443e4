/**
 * @crossrank/core: the `Reranker` contract every crossrank backend implements, the errors they throw,
 * the ranking helpers that keep them consistent, and `FallbackReranker`.
 *
 * No runtime dependencies. The local engine (`@crossrank/onnx`), the hosted APIs (`@crossrank/api`),
 * the test-model generator (`@crossrank/testing`) and the framework adapters build on this package;
 * it deliberately holds nothing that loads a model or makes a request.
 */
export type { Reranker, RerankOptions, RerankResult } from './reranker.js';
export {
  AllRerankersFailedError,
  CrossrankError,
  DisposedError,
  InvalidInputError,
  isCrossrankError,
  MissingPackageError,
  ModelFormatError,
  ModelNotFoundError,
  RerankAbortedError,
  TokenizerNotFoundError,
  UnknownOptionError,
  WorkerFailedError,
} from './errors.js';
export { checkKnownKeys, closestKey } from './known-keys.js';
export {
  abortError,
  describe as describeValue,
  checkSignal,
  rankScores,
  RERANK_OPTION_KEYS,
  snapshotRerankArgs,
  throwIfAborted,
  UNBOUNDED_SCORE_RANGE,
  UNIT_SCORE_RANGE,
  validateRerankArgs,
  validateRerankOptions,
  type RerankArgs,
  type ScoreRange,
} from './ranking.js';
export { DisposeGuard } from './dispose-guard.js';
export { isPackageNotFound } from './optional-package.js';
export { sigmoid } from './scores.js';
export {
  FallbackReranker,
  type FallbackEvent,
  type FallbackRerankerOptions,
  type RerankWithSource,
} from './fallback.js';
