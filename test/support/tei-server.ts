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

/** A query and candidates where word overlap ranks clearly differently from input order. */
export const API_QUERY = 'how do docker containers talk over a bridge network';
export const API_TEXTS = [
  'Django templates render HTML with a small language.',
  'Containers on one docker bridge network talk to each other by name.',
  'Kubernetes pods share a network namespace.',
  'A bridge network connects docker containers on one host; containers talk over it.',
  'TLS certificates prove a server identity.',
  'Docker volumes keep data after a container is removed.',
];

/** Indices of `texts` ranked by `overlapScore`, best first, ties by index, with their scores. */
export function expectedRanking(query: string, texts: readonly string[], topN: number): Array<{ i: number; s: number }> {
  return texts
    .map((t, i) => ({ i, s: overlapScore(query, t) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, topN);
}

/** Starts a TEI server for the duration of the calling test file. */
export function useTeiServer(): () => TeiServer {
  let server: TeiServer | undefined;
  beforeAll(async () => {
    server = await startTeiServer(overlapScore);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => server!;
}
