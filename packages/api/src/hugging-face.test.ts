// HuggingFaceReranker against a fake Hugging Face Inference text-ranking endpoint (test-fakes.ts).
// The router URL is checked through the `fetch` option, which sends the request to the local fake.
import { InvalidInputError, rankScores } from '@crossrank/core';
import { MissingApiKeyError, ProviderHttpError } from './errors.js';
import { HUGGING_FACE_ROUTER_URL, HuggingFaceReranker } from './hugging-face.js';
import { startHuggingFace } from './test-fakes.js';
import { makeDocuments } from './test-protocols.js';
import { closeAllServers } from './test-server.js';

afterEach(closeAllServers);
const fast = { baseDelayMs: 1, maxDelayMs: 5 };
const SCORES = [0.12, 0.99, 0.5];

/** A fetch that records the URL asked for and sends the request to `target` instead. */
function redirectTo(target: string) {
  const urls: string[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    urls.push(String(input));
    return fetch(target, init);
  };
  return { urls, fetchFn };
}

function withEnv<T>(name: string, value: string | undefined, run: () => T): T {
  const saved = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

test('a hub id goes to the router with HF_TOKEN; the answer is ranked by index', async () => {
  const server = await startHuggingFace({ apiKey: 'hf_env' });
  const { urls, fetchFn } = redirectTo(`${server.baseUrl}/`);
  const reranker = withEnv('HF_TOKEN', 'hf_env', () => new HuggingFaceReranker({ model: 'BAAI/bge-reranker-v2-m3', fetch: fetchFn }));
  const results = await reranker.rerank('What is Deep Learning?', makeDocuments(SCORES), { topN: 2 });
  expect(urls).toEqual([`${HUGGING_FACE_ROUTER_URL}/BAAI/bge-reranker-v2-m3`]);
  expect(urls[0]).toBe('https://router.huggingface.co/hf-inference/models/BAAI/bge-reranker-v2-m3');
  expect(server.requests[0]!.body).toEqual({ inputs: { query: 'What is Deep Learning?', texts: makeDocuments(SCORES) } });
  expect(results).toEqual(rankScores(SCORES, { topN: 2 }));
});

test('the router needs a token; HF_TOKEN is not sent to a non-Hugging Face endpointUrl', async () => {
  withEnv('HF_TOKEN', undefined, () => {
    expect(() => new HuggingFaceReranker({ model: 'BAAI/bge-reranker-v2-m3' })).toThrow(MissingApiKeyError);
  });
  const server = await startHuggingFace();
  await withEnv('HF_TOKEN', 'hf_secret', async () => {
    const reranker = new HuggingFaceReranker({ endpointUrl: server.baseUrl });
    expect(reranker.toJSON().hasApiKey).toBe(false);
    await reranker.rerank('q', makeDocuments(SCORES));
  });
  expect(server.requests[0]!.headers.authorization).toBeUndefined();
});

test('takes exactly one of model and endpointUrl, and a well-formed hub id', () => {
  expect(() => new HuggingFaceReranker({} as never)).toThrow(InvalidInputError);
  expect(() => new HuggingFaceReranker({ model: 'a/b', endpointUrl: 'http://x', apiKey: 'k' })).toThrow(/exactly one/);
  expect(() => new HuggingFaceReranker({ model: '../../admin', apiKey: 'k' })).toThrow(/hub id/);
});

test('splits into batches of 32 (TEI max-client-batch-size) and merges them', async () => {
  const server = await startHuggingFace({ path: '/' });
  const scores = Array.from({ length: 70 }, (_, i) => ((i * 13) % 70) / 100);
  const results = await new HuggingFaceReranker({ endpointUrl: server.baseUrl }).rerank('q', makeDocuments(scores), { topN: 4 });
  expect(results).toEqual(rankScores(scores, { topN: 4 }));
  expect(server.requests.map((r) => r.body.inputs.texts.length).sort((a: number, b: number) => a - b)).toEqual([6, 32, 32]);
  // A batch over the endpoint's limit is refused with TEI's 422, not retried.
  const error = await new HuggingFaceReranker({ endpointUrl: server.baseUrl, batchSize: 40, ...fast }).rerank('q', makeDocuments(scores)).catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 422, providerMessage: 'batch size 40 > maximum allowed batch size 32', attempts: 1 });
});

test('retries a cold model (503) and a 429 after its Retry-After; reports other errors', async () => {
  const cold = await startHuggingFace({ coldFor: 1, throttle: { n: 1, retryAfter: '0' } });
  await expect(new HuggingFaceReranker({ endpointUrl: cold.baseUrl, ...fast }).rerank('q', makeDocuments(SCORES))).resolves.toEqual(rankScores(SCORES));
  expect(cold.requests).toHaveLength(3);

  const locked = await startHuggingFace({ apiKey: 'hf_right' });
  const error = await new HuggingFaceReranker({ endpointUrl: locked.baseUrl, apiKey: 'hf_wrong', ...fast }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderHttpError);
  expect(error).toMatchObject({ status: 401, provider: 'Hugging Face', providerMessage: 'Invalid credentials in Authorization header' });
});
