// Test helper (not exported): a TEI-style /rerank server on 127.0.0.1 whose answers each test
// scripts, so API rerankers are tested over real HTTP without the network.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RerankRequest {
  query: string;
  texts: string[];
}

/** `n` is the 0-based number of the request; return a status and body, or write `res` yourself. */
export type Script = (request: RerankRequest, n: number, res: ServerResponse) => { status: number; body: unknown; headers?: Record<string, string> } | undefined;

export interface RerankServer {
  baseUrl: string;
  requests: RerankRequest[];
  close(): Promise<void>;
}

export async function startRerankServer(script: Script): Promise<RerankServer> {
  const requests: RerankRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RerankRequest;
      const n = requests.push(request) - 1;
      const answer = script(request, n, res);
      if (!answer) return;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
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

/** TEI's answer: every text scored, here by how many query words it contains (so the order is known). */
export function teiScores(request: RerankRequest): { index: number; score: number }[] {
  const words = request.query.toLowerCase().split(/\W+/).filter(Boolean);
  return request.texts.map((text, index) => {
    const lower = text.toLowerCase();
    const hits = words.filter((w) => lower.includes(w)).length;
    return { index, score: hits / (words.length || 1) };
  });
}
