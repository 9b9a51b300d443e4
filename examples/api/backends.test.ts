import { COHERE_DEFAULT_BASE_URL, CohereReranker, JinaReranker, MissingApiKeyError, MixedbreadReranker, TeiReranker, VoyageReranker } from '@crossrank/api';
import { createApiReranker, describeReranker } from './backends';
import { UsageError } from './errors';

// @crossrank/core reads the hosted providers' variables from process.env itself.
const KEY_VARS = ['COHERE_API_KEY', 'CO_API_KEY', 'JINA_API_KEY', 'VOYAGE_API_KEY', 'MXBAI_API_KEY', 'TEI_API_KEY', 'RERANK_API_KEY'];
const saved = Object.fromEntries(KEY_VARS.map((name) => [name, process.env[name]]));
beforeEach(() => KEY_VARS.forEach((name) => delete process.env[name]));
afterAll(() => KEY_VARS.forEach((name) => (saved[name] === undefined ? delete process.env[name] : (process.env[name] = saved[name]))));

const hasKey = (reranker: { toJSON(): { hasApiKey: boolean } }) => reranker.toJSON().hasApiKey;

describe('createApiReranker', () => {
  it.each([
    ['cohere', CohereReranker, 'COHERE_API_KEY', COHERE_DEFAULT_BASE_URL, 'rerank-v3.5'],
    ['jina', JinaReranker, 'JINA_API_KEY', 'https://api.jina.ai', 'jina-reranker-v2-base-multilingual'],
    ['voyage', VoyageReranker, 'VOYAGE_API_KEY', 'https://api.voyageai.com', 'rerank-2.5'],
    ['mixedbread', MixedbreadReranker, 'MXBAI_API_KEY', 'https://api.mixedbread.com', 'mixedbread-ai/mxbai-rerank-large-v2'],
  ] as const)('builds %s against its hosted API with the key from %s', (backend, Class, variable, host, model) => {
    expect(() => createApiReranker({ backend, baseUrl: undefined, model: undefined })).toThrow(MissingApiKeyError);
    process.env[variable] = 'hosted-key';
    const reranker = createApiReranker({ backend, baseUrl: undefined, model: undefined });
    expect(reranker).toBeInstanceOf(Class);
    expect(hasKey(reranker)).toBe(true);
    expect(reranker.baseUrl).toBe(host);
    expect(describeReranker(reranker)).toBe(`${reranker.provider} ${model} at ${host}`);
  });

  it('sends a --base-url server RERANK_API_KEY, never the hosted key', () => {
    process.env['COHERE_API_KEY'] = 'hosted-key';
    const args = { backend: 'cohere', baseUrl: 'http://vllm:8000', model: 'BAAI/bge-reranker-v2-m3' } as const;
    const withoutKey = createApiReranker(args, {});
    expect(hasKey(withoutKey)).toBe(false);
    expect(withoutKey.model).toBe('BAAI/bge-reranker-v2-m3');
    expect(hasKey(createApiReranker(args, { RERANK_API_KEY: 'self-hosted-key' }))).toBe(true);
  });

  it('builds TEI for a --base-url, with RERANK_API_KEY or else TEI_API_KEY', () => {
    const args = { backend: 'tei', baseUrl: 'http://tei:8080', model: undefined } as const;
    const tei = createApiReranker(args, {});
    expect(tei).toBeInstanceOf(TeiReranker);
    expect(describeReranker(tei)).toBe('TEI at http://tei:8080');
    expect(hasKey(tei)).toBe(false);
    expect(hasKey(createApiReranker(args, { RERANK_API_KEY: 'k' }))).toBe(true);
    process.env['TEI_API_KEY'] = 'tei-key';
    expect(hasKey(createApiReranker(args, {}))).toBe(true);
  });

  it('rejects TEI without --base-url or with --model', () => {
    expect(() => createApiReranker({ backend: 'tei', baseUrl: undefined, model: undefined })).toThrow(UsageError);
    expect(() => createApiReranker({ backend: 'tei', baseUrl: undefined, model: undefined })).toThrow(/--backend tei needs --base-url/);
    expect(() => createApiReranker({ backend: 'tei', baseUrl: 'http://tei:8080', model: 'x' })).toThrow(/leave out --model/);
  });
});
