// What API errors say: the key never survives in any form (not even a fragment at the 300-character
// cut), and the advice matches what was actually done (retried or not).
import { inspect } from 'node:util';
import { redactedSnippet, SNIPPET_CHARS } from './redact.js';
import { PROTOCOLS } from './test-protocols.js';
import { closeAllServers, sendJson, startServer } from './test-server.js';

const SECRET = 'sk-live-5f1c0ffee0ddba11aa';

afterEach(closeAllServers);

/** Every key prefix of 4+ characters: what a cut could leave behind. */
function leaksKey(text: string): boolean {
  for (let length = 4; length <= SECRET.length; length++) if (text.includes(SECRET.slice(0, length))) return true;
  return false;
}

function printed(value: unknown): string[] {
  const error = value as { message?: string; providerMessage?: string };
  return [String(value), JSON.stringify(value) ?? '', inspect(value), error.message ?? '', error.providerMessage ?? ''];
}

describe('redactedSnippet', () => {
  test('redacts before cutting, at every offset of the key around the cut', () => {
    for (let offset = SNIPPET_CHARS - SECRET.length - 2; offset <= SNIPPET_CHARS + 2; offset++) {
      const text = `${'x'.repeat(offset)}${SECRET} and more text after it`;
      const out = redactedSnippet(text, SECRET);
      expect(leaksKey(out)).toBe(false);
      expect(out.length).toBeLessThanOrEqual(SNIPPET_CHARS + '[redacted]'.length + 1);
    }
  });

  test('a key fragment the provider echoed is redacted where the cut ends on it', () => {
    for (let offset = SNIPPET_CHARS - 12; offset <= SNIPPET_CHARS; offset++) {
      const out = redactedSnippet(`${'x'.repeat(offset)}${SECRET.slice(0, 12)}zzz`, SECRET);
      expect(leaksKey(out)).toBe(false);
    }
  });

  test('text without the key is only flattened and cut', () => {
    expect(redactedSnippet('a \n b', SECRET)).toBe('a b');
    expect(redactedSnippet('y'.repeat(400), SECRET)).toBe(`${'y'.repeat(SNIPPET_CHARS)}…`);
    expect(redactedSnippet('skip it', undefined)).toBe('skip it');
  });
});

describe.each(PROTOCOLS)('$name', (protocol) => {
  test('an echoed key straddling the cut never reaches message, providerMessage or JSON', async () => {
    const offsets: number[] = [];
    for (let offset = SNIPPET_CHARS - SECRET.length - 1; offset <= SNIPPET_CHARS + 1; offset++) offsets.push(offset);
    const server = await startServer((_request, res, n) =>
      sendJson(res, 400, { message: `${'x'.repeat(offsets[n] ?? 0)}${SECRET} was rejected`, detail: `${'x'.repeat(offsets[n] ?? 0)}${SECRET}` }),
    );
    const reranker = protocol.create(server.baseUrl, { apiKey: SECRET, maxRetries: 0 });
    for (const _offset of offsets) {
      const error = await reranker.rerank('q', ['a']).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ProviderHttpError', status: 400 });
      for (const text of printed(error)) expect(leaksKey(text)).toBe(false);
    }
  });

  test('a 429 whose Retry-After is too long says it was not retried, not that retries ran out', async () => {
    const server = await startServer((_request, res) => sendJson(res, 429, { message: 'slow down' }, { 'retry-after': '3600' }));
    const error = (await protocol.create(server.baseUrl, { maxRetries: 3 }).rerank('q', ['a']).catch((e: unknown) => e)) as Error;
    expect(server.requests).toHaveLength(1);
    expect(error.message).toMatch(/asked to wait 3600 s.*so it was not retried/);
    expect(error.message).not.toMatch(/retries ran out|gave up after/);
  });

  test('a 429 with maxRetries 0 says so; one after retries says how many attempts were made', async () => {
    const server = await startServer((_request, res) => sendJson(res, 429, { message: 'slow down' }));
    const once = (await protocol.create(server.baseUrl, { maxRetries: 0 }).rerank('q', ['a']).catch((e: unknown) => e)) as Error;
    expect(once.message).toMatch(/not retried: maxRetries is 0/);
    const thrice = (await protocol.create(server.baseUrl, { maxRetries: 2, baseDelayMs: 1 }).rerank('q', ['a']).catch((e: unknown) => e)) as Error;
    expect(thrice.message).toMatch(/gave up after 3 attempts/);
    expect(server.requests).toHaveLength(4);
  });
});
