// Issue 12, items 1, 4 (Cohere) and 10 (redirects, stderr): bodies are read with a cap, redirects
// that would turn the POST into a GET are reported as such, and odd 2xx bodies fail typed and quietly.
import type { ServerResponse } from 'node:http';
import { ProviderRedirectError, ProviderResponseError, ProviderResponseTooLargeError } from './errors.js';
import { clientScores, honestResults, PROTOCOLS } from './test-protocols.js';
import { closeAllServers, sendJson, startServer } from './test-server.js';

afterEach(closeAllServers);

/** Writes 64 KiB chunks until the client goes away (respecting backpressure); resolves with the bytes written. */
function endlessBody(res: ServerResponse, announce?: number): Promise<number> {
  res.writeHead(200, { 'content-type': 'application/json', ...(announce !== undefined ? { 'content-length': String(announce) } : {}) });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  return new Promise((resolve) => {
    const pump = (): void => {
      while (!res.destroyed && (announce === undefined || written < announce)) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      resolve(written);
    };
    res.on('close', () => resolve(written));
    pump();
  });
}

describe.each(PROTOCOLS)('$name', (protocol) => {
  test('an endless 200 body stops at maxResponseBytes with a typed error and is not retried (item 1)', async () => {
    let written: Promise<number> = Promise.resolve(0);
    const server = await startServer((_request, res) => {
      written = endlessBody(res);
    });
    const started = Date.now();
    const error = await protocol.create(server.baseUrl, { maxResponseBytes: 1024 * 1024, maxRetries: 3 }).rerank('q', ['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderResponseTooLargeError);
    expect((error as Error).message).toMatch(/larger than maxResponseBytes \(1048576 bytes\)/);
    expect(server.requests).toHaveLength(1);
    // Reading stopped near the cap: the server got to write little more than the socket buffers hold.
    expect(await written).toBeLessThan(64 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test('a declared Content-Length over the cap fails before the body is read (item 1)', async () => {
    const server = await startServer((_request, res) => void endlessBody(res, 50 * 1024 * 1024));
    const error = await protocol.create(server.baseUrl, { maxResponseBytes: 64 * 1024 }).rerank('q', ['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderResponseTooLargeError);
    expect(server.requests).toHaveLength(1);
  });

  test('a huge error body keeps its status (and is retried as a 5xx), reading only its start', async () => {
    const server = await startServer((request, res, n) =>
      n === 0 ? sendJson(res, 503, { message: `busy ${'y'.repeat(5 * 1024 * 1024)}` }) : sendJson(res, 200, protocol.respond(honestResults(protocol, request.body))),
    );
    const results = await protocol.create(server.baseUrl, { maxResponseBytes: 1024 * 1024, baseDelayMs: 1 }).rerank('q', ['s=0.5 a']);
    expect(results).toEqual([{ index: 0, score: clientScores(protocol, [0.5])[0] }]);
    expect(server.requests).toHaveLength(2);
  });

  test.each([301, 302, 303])('a %i redirect is reported as a redirect, naming where it pointed (item 10)', async (status) => {
    const server = await startServer((_request, res) => {
      res.writeHead(status, { location: '/elsewhere/rerank' });
      res.end();
    });
    const error = await protocol.create(server.baseUrl, { maxRetries: 2 }).rerank('q', ['a', 'b', 'c', 'd']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRedirectError);
    expect(error).toMatchObject({ status, location: `${server.baseUrl}/elsewhere/rerank` });
    expect((error as Error).message).toMatch(/redirected to .*\/elsewhere\/rerank.*set baseUrl to the URL the server redirects to/);
    expect((error as Error).message).not.toMatch(/results where/);
    expect(server.requests).toHaveLength(1);
  });

  test('a 307/308 redirect is followed with the same POST; Authorization only to the same origin', async () => {
    const target = await startServer((request, res) => sendJson(res, 200, protocol.respond(honestResults(protocol, request.body))));
    const server = await startServer((request, res, n) => {
      if (request.path.startsWith('/moved')) return sendJson(res, 200, protocol.respond(honestResults(protocol, request.body)));
      res.writeHead(n === 0 ? 307 : 308, { location: n === 0 ? `/moved${request.path}` : `${target.baseUrl}${request.path}` });
      res.end();
    });
    const reranker = protocol.create(server.baseUrl, { apiKey: 'sk-secret-for-redirects' });
    const [low, high] = clientScores(protocol, [0.2, 0.9]);
    expect(await reranker.rerank('q', ['s=0.2 a', 's=0.9 b'])).toEqual([{ index: 1, score: high }, { index: 0, score: low }]);
    expect(server.requests[1]).toMatchObject({ method: 'POST', path: `/moved${protocol.path}` });
    expect(server.requests[1]!.headers.authorization).toBe('Bearer sk-secret-for-redirects');
    expect(await reranker.rerank('q', ['s=0.2 a', 's=0.9 b'])).toHaveLength(2);
    expect(target.requests[0]).toMatchObject({ method: 'POST', path: protocol.path });
    expect(target.requests[0]!.headers.authorization).toBeUndefined();
  });

  test('a redirect loop stops after a few hops with a typed error', async () => {
    const server = await startServer((request, res) => {
      res.writeHead(307, { location: request.path });
      res.end();
    });
    const error = await protocol.create(server.baseUrl).rerank('q', ['a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRedirectError);
    expect((error as Error).message).toMatch(/too many times/);
    expect(server.requests.length).toBeLessThanOrEqual(6);
  });

  test.each([
    ['an empty body', ''],
    ['null', 'null'],
    ['a string', '"ok"'],
    ['results of the wrong type', '{"results": "none"}'],
    ['items without scores', '{"results": [{"index": 0}]}'],
    ['a meta of the wrong type', '{"results": [{"index": 0, "relevance_score": "high"}], "meta": 5}'],
  ])('a 200 with %s fails with ProviderResponseError and prints nothing (items 4, 10)', async (_what, text) => {
    const server = await startServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text);
    });
    const printed: unknown[] = [];
    const spies = (['warn', 'error', 'log', 'info'] as const).map((name) => jest.spyOn(console, name).mockImplementation((...args) => void printed.push(args)));
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (printed.push(chunk), true));
    try {
      const error = await protocol.create(server.baseUrl).rerank('q', ['a']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderResponseError);
      expect(printed).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
      write.mockRestore();
    }
  });
});
