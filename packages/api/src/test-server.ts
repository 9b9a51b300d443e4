// Test helper (not exported): a local HTTP server on 127.0.0.1 that records requests and lets each
// test script the answers, including faults (hangs, dropped connections, bad bodies).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (the raw text if it was not JSON). */
  body: any;
}

/** `n` is the 0-based number of this request on the server. */
export type Handler = (request: RecordedRequest, res: ServerResponse, n: number, req: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const open = new Set<TestServer>();

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      const n = requests.push(recorded) - 1;
      Promise.resolve(handler(recorded, res, n, req)).catch((error: unknown) => {
        // A failing assertion inside a handler must surface, not hang the test.
        if (!res.headersSent) sendJson(res, 599, { message: `test handler threw: ${String(error)}` });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: TestServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      open.delete(handle);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  open.add(handle);
  return handle;
}

/** Closes every server a test left open; call it from `afterEach`. */
export async function closeAllServers(): Promise<void> {
  await Promise.all([...open].map((server) => server.close()));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** Drops the TCP connection without an HTTP answer (a connection reset as the client sees it). */
export function resetConnection(req: IncomingMessage): void {
  req.socket.destroy();
}

export function loadFixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'api', name), 'utf8'));
}
