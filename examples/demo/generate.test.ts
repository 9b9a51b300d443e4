import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GenerationError } from './errors';
import { ANSWER_MODEL, buildMessages, generateAnswer } from './generate';
import { chatReply, startFakeOpenAI, type FakeOpenAI } from './test-openai-server';

const PASSAGES = [
  { id: 'docker-net-01', text: 'Docker creates a bridge called docker0.' },
  { id: 'docker-net-04', text: 'Containers resolve each other through the embedded DNS server.' },
];

describe('buildMessages', () => {
  it('puts every passage with its id before the question', () => {
    const [system, user] = buildMessages('How does Docker networking work?', PASSAGES);
    expect(system!.role).toBe('system');
    expect(system!.content).toMatch(/only the numbered passages/);
    expect(user!.content).toBe(
      'Passages:\n[docker-net-01] Docker creates a bridge called docker0.\n\n' +
        '[docker-net-04] Containers resolve each other through the embedded DNS server.\n\nQuestion: How does Docker networking work?',
    );
  });
});

describe('generateAnswer', () => {
  let server: FakeOpenAI | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('POSTs a gpt-4o-mini chat completion with the key and returns the answer text', async () => {
    server = await startFakeOpenAI(() => ({ status: 200, body: chatReply('  Containers attach to a bridge [docker-net-01].\n') }));
    const answer = await generateAnswer('How?', PASSAGES, { apiKey: 'sk-test', baseUrl: `${server.baseUrl}/` });
    expect(answer).toBe('Containers attach to a bridge [docker-net-01].');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe('Bearer sk-test');
    expect(request!.body).toMatchObject({ model: ANSWER_MODEL, messages: buildMessages('How?', PASSAGES) });
  });

  it('turns an API error into one line naming the status and what to check', async () => {
    server = await startFakeOpenAI(() => ({ status: 401, body: { error: { message: 'Incorrect API key provided:\nsk-test.' } } }));
    const error = await generateAnswer('How?', PASSAGES, { apiKey: 'sk-test', baseUrl: server.baseUrl }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenerationError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/answered 401 Unauthorized: Incorrect API key provided: sk-test\. Check OPENAI_API_KEY\.$/);
  });

  it('reports a reply without answer text', async () => {
    server = await startFakeOpenAI(() => ({ status: 200, body: { choices: [] } }));
    await expect(generateAnswer('How?', PASSAGES, { apiKey: 'k', baseUrl: server.baseUrl })).rejects.toThrow(/returned no answer text/);
  });

  it('says the endpoint could not be reached when nothing listens there', async () => {
    // Reserve a port, then free it: nothing listens on it during the call.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await generateAnswer('How?', PASSAGES, { apiKey: 'k', baseUrl: `http://127.0.0.1:${port}/v1` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenerationError);
    expect((error as Error).message).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(ECONNREFUSED\); check your network connection or OPENAI_BASE_URL\./);
  });

  it('gives up after the timeout', async () => {
    const hang = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    const { port } = hang.address() as AddressInfo;
    try {
      const error = await generateAnswer('How?', PASSAGES, { apiKey: 'k', baseUrl: `http://127.0.0.1:${port}/v1`, timeoutMs: 200 }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/no answer within 0\.2 s/);
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((resolve) => hang.close(() => resolve()));
    }
  });
});
