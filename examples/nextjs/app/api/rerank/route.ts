import { CrossEncoder } from '@crossrank/onnx';
import { CANDIDATES, QUERY } from '../../../lib/candidates';
import { MODEL } from '../../../lib/model';

// Load once per server process (default options: forward passes in worker threads) and reuse it.
let encoder: Promise<CrossEncoder> | undefined;
function getEncoder(): Promise<CrossEncoder> {
  encoder ??= CrossEncoder.load(MODEL).catch((error: unknown) => {
    encoder = undefined; // let the next request try again
    throw error;
  });
  return encoder;
}

export const dynamic = 'force-dynamic';

/** GET /api/rerank?q=...: the 20 candidates reranked to the best 3. */
export async function GET(request: Request): Promise<Response> {
  const query = new URL(request.url).searchParams.get('q') ?? QUERY;
  const ranked = await (await getEncoder()).rerank(query, CANDIDATES, { topN: 3 });
  return Response.json({ query, results: ranked.map(({ index, score }) => ({ index, score, text: CANDIDATES[index] })) });
}
