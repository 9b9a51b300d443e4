// A strict AI SDK app, type-checked with skipLibCheck: false under nodenext and bundler, with
// TypeScript 5.9 and 7. Needs @types/json-schema: @ai-sdk/provider's declarations import
// 'json-schema' without depending on its types (seen with `ai` alone, without crossrank).
import { createCrossrank, crossrank, type CrossrankRerankingModel } from '@crossrank/ai-sdk';
import { rerank } from 'ai';

const provider = createCrossrank({ loadOptions: { localFilesOnly: true } });
const model: CrossrankRerankingModel = provider.rerankingModel('Xenova/ms-marco-MiniLM-L-6-v2', { dtype: 'q8', activation: 'sigmoid' });
// @ts-expect-error 'q9' is not a dtype
export const wrong = crossrank.rerankingModel('x', { dtype: 'q9' });

export async function top(query: string, documents: string[]): Promise<number[]> {
  const { ranking } = await rerank({ model, query, documents, topN: 3, providerOptions: { crossrank: { scoreThreshold: 0.5 } } });
  return ranking.map((r) => r.originalIndex);
}
