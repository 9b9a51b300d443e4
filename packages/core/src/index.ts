export type { Reranker, RerankOptions, RerankResult } from './reranker.js';
export { CrossEncoder, type CrossEncoderInfo, type Pair } from './cross-encoder.js';
export { defaultModelCacheDir } from './cache-dir.js';
export type { CrossEncoderDtype, CrossEncoderLoadOptions, LoadProgress, PredictOptions } from './options.js';
export {
  CrossrankError,
  DisposedError,
  InvalidInputError,
  ModelFormatError,
  ModelNotFoundError,
  RerankAbortedError,
  TokenizerNotFoundError,
  WorkerFailedError,
} from './errors.js';
export { rankScores, validateRerankArgs } from './ranking.js';
export { sigmoid } from './scores.js';
export type { ActivationSource, ScoreActivation } from './activation.js';
export { planWindows, type LongDocumentMode, type LongDocumentOptions, type TextSpan } from './long-documents.js';
export {
  ApiReranker,
  CohereReranker,
  JinaReranker,
  VoyageReranker,
  MixedbreadReranker,
  TeiReranker,
  FallbackReranker,
  AllRerankersFailedError,
  MissingApiKeyError,
  ProviderError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderRedirectError,
  ProviderResponseError,
  ProviderResponseTooLargeError,
  ProviderTimeoutError,
  DEFAULT_MAX_RESPONSE_BYTES,
  COHERE_DEFAULT_BASE_URL,
  JINA_DEFAULT_BASE_URL,
  VOYAGE_DEFAULT_BASE_URL,
  MIXEDBREAD_DEFAULT_BASE_URL,
  type ApiRerankerDescription,
  type ApiRerankerOptions,
  type BatchRequest,
  type ScoredItem,
  type CohereRerankerOptions,
  type JinaRerankerOptions,
  type VoyageRerankerOptions,
  type MixedbreadRerankerOptions,
  type TeiRerankerOptions,
  type FallbackEvent,
  type FallbackRerankerOptions,
  type RerankWithSource,
} from './api/index.js';
