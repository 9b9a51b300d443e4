// Type-checked with skipLibCheck: false under node10, node16, nodenext and bundler resolution (the
// LlamaIndex adapter in types-llamaindex.ts, under bundler only: llamaindex's own types take minutes), in an
// app WITHOUT @crossrank/onnx: the adapters' declarations must not need it.
import { FallbackReranker, isCrossrankError, MissingPackageError, type Reranker, type RerankResult } from '@crossrank/core';
import { CohereReranker, JinaReranker, ProviderHttpError } from '@crossrank/api';
import { CrossEncoderReranker } from '@crossrank/langchain';

const primary: Reranker = new CohereReranker({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' });
const reranker = new FallbackReranker([primary, new JinaReranker({ apiKey: 'k' })]);
export const compressor = new CrossEncoderReranker({ reranker, topN: 3 });
export const byModel = new CrossEncoderReranker({ model: 'Xenova/ms-marco-MiniLM-L-6-v2', modelOptions: { dtype: 'q8' } });

export async function top(query: string, docs: string[]): Promise<RerankResult[]> {
  try {
    return await reranker.rerank(query, docs, { topN: 3 });
  } catch (error) {
    if (error instanceof ProviderHttpError) return [{ index: error.status, score: 0 }];
    if (error instanceof MissingPackageError) return [{ index: error.packageName.length, score: 0 }];
    if (isCrossrankError(error, 'CROSSRANK_ABORTED')) return [];
    throw error;
  }
}
