import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TeiServer {
  url: string;
  /** Request bodies received, in order. */
  requests: Array<{ query: string; texts: string[] }>;
  authorization: Array<string | undefined>;
  close(): Promise<void>;
}

/**
 * A 127.0.0.1 server speaking text-embeddings-inference's `POST /rerank`: a bare array of
 * `{ index, score }`, here deliberately in input order (not sorted), scored by `score(query, text)`.
 */
export async function startTeiServer(score: (query: string, text: string) => number): Promise<TeiServer> {
  const requests: TeiServer['requests'] = [];
  const authorization: TeiServer['authorization'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/rerank') {
        res.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as { query: string; texts: string[] };
      requests.push(parsed);
      authorization.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(parsed.texts.map((text, index) => ({ index, score: score(parsed.query, text) }))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authorization,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A deterministic relevance: the share of query words found in the text, squashed into (0, 1). */
export function overlapScore(query: string, text: string): number {
  const words = query.toLowerCase().match(/\w+/g) ?? [];
  const hay = ` ${text.toLowerCase()} `;
  const hits = words.filter((w) => hay.includes(` ${w} `) || hay.includes(` ${w}.`) || hay.includes(` ${w},`)).length;
  return (hits + 0.5) / (words.length + 1) / (1 + text.length / 10000);
}
