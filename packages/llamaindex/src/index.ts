export { CrossEncoderRerank } from './cross-encoder-rerank.js';
export type { CrossEncoderRerankOptions, ModelOptions, RerankerOptions } from './options.js';
export { DEFAULT_TOP_N } from './options.js';
export { MissingQueryError } from './errors.js';
export { RETRIEVAL_SCORE_KEY } from './reranked-node.js';
