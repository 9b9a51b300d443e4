// The API key must not show up anywhere a user might print or log: the reranker, its errors.
import { inspect } from 'node:util';
import { FallbackReranker } from '@crossrank/core';
import { PROTOCOLS } from './test-protocols.js';
import { closeAllServers, resetConnection, sendJson, startServer } from './test-server.js';

const SECRET = 'sk-live-5f1c0ffee0ddba11';

afterEach(closeAllServers);

function printed(value: unknown): string[] {
  return [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value),
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    inspect(value, { customInspect: false, showHidden: true, depth: Infinity }),
  ];
}

describe.each(PROTOCOLS)('$name', (protocol) => {
  test('the reranker prints its configuration, never its key', async () => {
    const server = await startServer(() => {});
    const reranker = protocol.create(server.baseUrl, { apiKey: SECRET });
    for (const text of printed(reranker)) expect(text).not.toContain(SECRET);
    expect(JSON.parse(JSON.stringify(reranker))).toMatchObject({ provider: protocol.name, hasApiKey: true, baseUrl: server.baseUrl });
    expect(String(reranker)).toMatch(new RegExp(`Reranker .*"provider":"${protocol.name}"`));
    for (const text of printed(new FallbackReranker([reranker]))) expect(text).not.toContain(SECRET);
  });

  test('errors never carry the key, even when the server echoes it', async () => {
    const server = await startServer((request, res) =>
      sendJson(res, 401, { message: `invalid api key: ${String(request.headers.authorization).replace('Bearer ', '')}` }),
    );
    const error = await protocol.create(server.baseUrl, { apiKey: SECRET, maxRetries: 0 }).rerank('q', ['a']).catch((e: unknown) => e);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(error).toMatchObject({ status: 401, providerMessage: 'invalid api key: [redacted]' });
    for (const text of printed(error)) expect(text).not.toContain(SECRET);
    expect((error as Error).stack).not.toContain(SECRET);
  });

  test('network errors and malformed bodies do not carry the key', async () => {
    const server = await startServer((_request, res, n, req) =>
      n === 0 ? resetConnection(req) : sendJson(res, 200, `not json ${SECRET}`),
    );
    const reranker = protocol.create(server.baseUrl, { apiKey: SECRET, maxRetries: 0 });
    const network = await reranker.rerank('q', ['a']).catch((e: unknown) => e);
    const malformed = await reranker.rerank('q', ['a']).catch((e: unknown) => e);
    expect((network as Error).name).toBe('ProviderNetworkError');
    expect((malformed as Error).name).toBe('ProviderResponseError');
    for (const text of [...printed(network), ...printed(malformed)]) expect(text).not.toContain(SECRET);
  });
});
