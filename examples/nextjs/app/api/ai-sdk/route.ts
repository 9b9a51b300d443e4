import { crossrank } from '@crossrank/ai-sdk';
import { rerank } from 'ai';
import { CANDIDATES, QUERY } from '../../../lib/candidates';
import { MODEL } from '../../../lib/model';

// The provider loads the model on the first call and keeps it for the next ones.
const reranker = crossrank.rerankingModel(MODEL);

export const dynamic = 'force-dynamic';

/** GET /api/ai-sdk?q=...: the AI SDK's rerank() over the same 20 candidates, best 3. */
export async function GET(request: Request): Promise<Response> {
  const query = new URL(request.url).searchParams.get('q') ?? QUERY;
  const { ranking } = await rerank({ model: reranker, query, documents: CANDIDATES, topN: 3 });
  return Response.json({ query, results: ranking.map(({ originalIndex, score, document }) => ({ index: originalIndex, score, text: document })) });
}
