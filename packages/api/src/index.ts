export { ApiReranker, type ApiRerankerDescription, type BatchRequest } from './api-reranker.js';
export { CohereReranker, COHERE_DEFAULT_BASE_URL, type CohereRerankerOptions } from './cohere.js';
export { JinaReranker, JINA_DEFAULT_BASE_URL, type JinaRerankerOptions } from './jina.js';
export { VoyageReranker, VOYAGE_DEFAULT_BASE_URL, type VoyageRerankerOptions } from './voyage.js';
export { MixedbreadReranker, MIXEDBREAD_DEFAULT_BASE_URL, type MixedbreadRerankerOptions } from './mixedbread.js';
export { TeiReranker, type TeiRerankerOptions } from './tei.js';
export {
  FallbackReranker,
  type FallbackEvent,
  type FallbackRerankerOptions,
  type RerankWithSource,
} from './fallback.js';
export {
  AllRerankersFailedError,
  MissingApiKeyError,
  ProviderError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderResponseError,
  ProviderTimeoutError,
} from './errors.js';
export type { ApiRerankerOptions } from './options.js';
export type { ScoredItem } from './response.js';
