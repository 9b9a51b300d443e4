import { parseApiArgs } from './args';
import { UsageError } from './errors';
import { DEFAULT_QUERY } from './passages';

describe('parseApiArgs', () => {
  it('defaults to Cohere, its default model, the default query and the whole ranking', () => {
    expect(parseApiArgs([])).toEqual({ help: false, backend: 'cohere', baseUrl: undefined, model: undefined, query: DEFAULT_QUERY, topN: undefined });
  });

  it('reads every flag, also after the `--` pnpm passes through', () => {
    const argv = ['--', '-b', 'tei', '--base-url', 'http://tei:8080', '-q', 'why?', '-n', '2'];
    expect(parseApiArgs(argv)).toEqual({ help: false, backend: 'tei', baseUrl: 'http://tei:8080', model: undefined, query: 'why?', topN: 2 });
    expect(parseApiArgs(['--backend', 'jina', '--model', 'jina-reranker-m0']).model).toBe('jina-reranker-m0');
  });

  it.each([
    [['--backend', 'openai'], /--backend must be one of cohere, jina, voyage, mixedbread, tei; got "openai"/],
    [['--top-n', '0'], /--top-n must be a whole number of at least 1; got "0"/],
    [['--top-n', '2.5'], /--top-n must be a whole number/],
    [['--query', ' '], /--query is empty/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with a UsageError naming the flag', (argv, message) => {
    expect(() => parseApiArgs(argv)).toThrow(UsageError);
    expect(() => parseApiArgs(argv)).toThrow(message);
  });
});
