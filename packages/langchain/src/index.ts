export {
  CrossEncoderReranker,
  RERANK_RUN_NAME,
  type CrossEncoderRerankOptions,
  type RelevanceResult,
} from './cross-encoder-reranker.js';
export type { CrossEncoderRerankerFields, ModelFields, RerankerFields } from './options.js';
export { DEFAULT_SCORE_KEY, DEFAULT_TOP_N } from './options.js';
export { RerankerOutputError } from './errors.js';
