/**
 * @crossrank/api: hosted and self-hosted rerank APIs (Cohere, Jina, Voyage, Mixedbread, TEI, llama.cpp,
 * Hugging Face Inference; vLLM and Infinity through the Cohere or Jina backends) behind the `Reranker`
 * contract of `@crossrank/core`.
 *
 * Depends on @crossrank/core and `cohere-ai` (for `CohereReranker` only). Loads no model and no ONNX
 * Runtime. `FallbackReranker` (API first, local model second) is in @crossrank/core.
 */
export { ApiReranker, type ApiRerankerDescription, type BatchRequest } from './api-reranker.js';
export { CohereReranker, COHERE_DEFAULT_BASE_URL, type CohereRerankerOptions } from './cohere.js';
export { JinaReranker, JINA_DEFAULT_BASE_URL, type JinaRerankerOptions } from './jina.js';
export { VoyageReranker, VOYAGE_DEFAULT_BASE_URL, type VoyageRerankerOptions } from './voyage.js';
export { MixedbreadReranker, MIXEDBREAD_DEFAULT_BASE_URL, type MixedbreadRerankerOptions } from './mixedbread.js';
export { TeiReranker, type TeiRerankerOptions } from './tei.js';
export { LlamaCppReranker, type LlamaCppRerankerOptions } from './llama-cpp.js';
export { HuggingFaceReranker, HUGGING_FACE_ROUTER_URL, type HuggingFaceRerankerOptions } from './hugging-face.js';
export {
  MissingApiKeyError,
  ProviderError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderRedirectError,
  ProviderResponseError,
  ProviderResponseTooLargeError,
  ProviderTimeoutError,
} from './errors.js';
export { DEFAULT_MAX_RESPONSE_BYTES } from './transport.js';
export type { ApiRerankerOptions } from './options.js';
export type { ScoredItem } from './response.js';
