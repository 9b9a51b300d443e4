// Test helper: a rerank server on 127.0.0.1 speaking TEI's `/rerank` or Cohere's `/v2/rerank`
// protocol (or failing with a status), recording each request and what it answered.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireResult {
  index: number;
  score: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  /** The results this request was answered with (none for a failure). */
  answered: WireResult[];
}

export interface RerankServer {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Protocol = 'tei' | 'cohere' | { failWith: number };

/**
 * A score that depends on both texts and is not in input order: the share of the query's words
 * found in the text, plus a small nudge from a hash of the text so that ties are unlikely.
 */
export function fakeScore(query: string, text: string): number {
  const words = (s: string) => new Set(s.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const q = words(query);
  const t = words(text);
  const shared = [...q].filter((w) => t.has(w)).length;
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) % 1_000_003;
  return Number(((0.9 * shared) / Math.max(1, q.size) + (hash % 1000) / 10_000).toFixed(6));
}

export async function startRerankServer(protocol: Protocol): Promise<RerankServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, answered: [] };
      requests.push(recorded);
      answer(protocol, recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(protocol: Protocol, request: RecordedRequest, res: ServerResponse): void {
  if (typeof protocol === 'object') {
    return send(res, protocol.failWith, { message: 'model is overloaded, try again later' });
  }
  const { body } = request;
  const route = protocol === 'tei' ? '/rerank' : '/v2/rerank';
  const texts: unknown = protocol === 'tei' ? body?.texts : body?.documents;
  if (request.method !== 'POST' || request.path !== route || typeof body?.query !== 'string' || !Array.isArray(texts)) {
    return send(res, 422, { message: `expected POST ${route} with a query and ${protocol === 'tei' ? 'texts' : 'documents'}` });
  }
  const scored = texts.map((text, index) => ({ index, score: fakeScore(body.query, String(text)) }));
  if (protocol === 'tei') {
    // Deliberately in input order: the client must rank by score itself, not trust the order.
    request.answered = scored;
    return send(res, 200, scored);
  }
  // Cohere: best first, cut to top_n.
  const best = [...scored].sort((a, b) => b.score - a.score).slice(0, body.top_n ?? scored.length);
  request.answered = best;
  send(res, 200, {
    id: 'test-rerank',
    results: best.map(({ index, score }) => ({ index, relevance_score: score })),
    meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } },
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
