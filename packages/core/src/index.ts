export type { Reranker, RerankOptions, RerankResult } from './reranker.js';
export { CrossEncoder, type CrossEncoderInfo, type Pair } from './cross-encoder.js';
export type { CrossEncoderDtype, CrossEncoderLoadOptions, LoadProgress, PredictOptions } from './options.js';
export {
  CrossrankError,
  DisposedError,
  InvalidInputError,
  ModelFormatError,
  ModelNotFoundError,
  RerankAbortedError,
  TokenizerNotFoundError,
} from './errors.js';
export { rankScores, validateRerankArgs } from './ranking.js';
export { sigmoid } from './scores.js';
