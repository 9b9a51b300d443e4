import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../api/errors';
import { DEFAULT_QUERY } from '../api/passages';
import { DEFAULT_MODEL, parseFallbackArgs } from './args';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'crossrank-fallback-args-'));
  mkdirSync(join(base, 'models', 'mine'), { recursive: true });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('parseFallbackArgs', () => {
  it('defaults to the MiniLM hub model, Cohere hosted, the default query and the best 3', () => {
    expect(parseFallbackArgs([], base)).toEqual({ help: false, model: DEFAULT_MODEL, baseUrl: undefined, query: DEFAULT_QUERY, topN: 3 });
  });

  it('resolves a model folder from where the command was typed, and keeps hub ids as they are', () => {
    expect(parseFallbackArgs(['--', '--model', 'models/mine'], base).model).toBe(join(base, 'models', 'mine'));
    expect(parseFallbackArgs(['-m', './not-there-yet'], base).model).toBe(join(base, 'not-there-yet'));
    expect(parseFallbackArgs(['-m', '/abs/folder'], base).model).toBe('/abs/folder');
    expect(parseFallbackArgs(['-m', 'BAAI/bge-reranker-base'], base).model).toBe('BAAI/bge-reranker-base');
  });

  it('reads --base-url, --query and --top-n', () => {
    const args = parseFallbackArgs(['--base-url', 'http://vllm:8000', '-q', 'why?', '-n', '5'], base);
    expect(args).toMatchObject({ baseUrl: 'http://vllm:8000', query: 'why?', topN: 5 });
  });

  it.each([
    [['--top-n', '0'], /--top-n must be a whole number of at least 1; got "0"/],
    [['--model', ''], /--model is empty/],
    [['--backend', 'tei'], /Unknown option '--backend'/],
  ])('rejects %j with a UsageError naming the flag', (argv, message) => {
    expect(() => parseFallbackArgs(argv, base)).toThrow(UsageError);
    expect(() => parseFallbackArgs(argv, base)).toThrow(message);
  });
});
