// The LlamaIndex adapter's declarations, type-checked with skipLibCheck: false under bundler resolution
// only (llamaindex's own type graph makes each run take minutes; attw covers the other resolutions).
import { CrossEncoderRerank, MissingQueryError, type CrossEncoderRerankOptions } from '@crossrank/llamaindex';
import type { Reranker } from '@crossrank/core';

declare const reranker: Reranker;
const options: CrossEncoderRerankOptions = { reranker, topN: 3 };
export const postprocessor = new CrossEncoderRerank(options);
export const byModel = new CrossEncoderRerank({ model: 'Xenova/ms-marco-MiniLM-L-6-v2', topN: 3 });
export const isMissingQuery = (e: unknown): boolean => e instanceof MissingQueryError;
