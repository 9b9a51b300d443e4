import { parseEvalArgs, type EvalArgs } from './args.js';
import { UsageError } from './errors.js';

const base = ['--candidates', 'c.json', '--qrels', 'q.txt'];
function parse(...extra: string[]): EvalArgs {
  const parsed = parseEvalArgs([...base, ...extra]);
  if (parsed.help) throw new Error('expected options, got help');
  return parsed;
}

describe('parseEvalArgs', () => {
  test('applies the defaults', () => {
    expect(parse()).toEqual({
      help: false,
      candidates: 'c.json',
      corpus: undefined,
      queries: undefined,
      qrels: 'q.txt',
      backend: 'local',
      model: undefined,
      dtype: undefined,
      threads: undefined,
      batchSize: undefined,
      maxLength: undefined,
      cacheDir: undefined,
      localFilesOnly: false,
      apiModel: undefined,
      baseUrl: undefined,
      depth: 100,
      recallDepths: [10, 100],
      relLevel: 2,
      limit: undefined,
      json: false,
    });
  });

  test('reads every local option', () => {
    const args = parse(
      ...['--corpus', 'corpus.tsv', '--queries', 'queries.tsv', '--model', './model', '--dtype', 'q8'],
      ...['--threads', '2', '--batch-size', '16', '--max-length', '256', '--cache-dir', '/tmp/c', '--local-files-only'],
      ...['--depth', '50', '--k', '1000, 5,5', '--rel-level', '1', '--limit', '10', '--json'],
    );
    expect(args).toMatchObject({
      corpus: 'corpus.tsv',
      queries: 'queries.tsv',
      model: './model',
      dtype: 'q8',
      threads: 2,
      batchSize: 16,
      maxLength: 256,
      cacheDir: '/tmp/c',
      localFilesOnly: true,
      depth: 50,
      recallDepths: [5, 1000],
      relLevel: 1,
      limit: 10,
      json: true,
    });
  });

  test('reads API backend options, with --opt=value syntax too', () => {
    expect(parse('--backend', 'jina', '--base-url=http://127.0.0.1:8080', '--api-model', 'bge')).toMatchObject({
      backend: 'jina',
      baseUrl: 'http://127.0.0.1:8080',
      apiModel: 'bge',
    });
    expect(parse('--backend', 'tei', '--base-url', 'http://127.0.0.1:8080')).toMatchObject({ backend: 'tei', apiModel: undefined });
    expect(parse('--backend', 'cohere').backend).toBe('cohere');
    expect(parse('--backend', 'none').backend).toBe('none');
  });

  test('returns help for -h and --help, whatever else is there', () => {
    expect(parseEvalArgs(['--help'])).toEqual({ help: true });
    expect(parseEvalArgs(['-h', '--depth', 'x'])).toEqual({ help: true });
  });

  test.each([
    ['an unknown option', ['--deep', '5'], /Unknown option '--deep'.*crossrank eval --help/],
    ['a misspelt option', ['--candidate', 'c.json'], /Unknown option '--candidate'\. Did you mean "--candidates"\? Run "crossrank eval --help"/],
    ['a misspelt flag', ['--local-file-only'], /Did you mean "--local-files-only"\?/],
    ['--api-key-env with --backend local', ['--candidates', 'c', '--qrels', 'q', '--api-key-env', 'K'], /--api-key-env is for API backends, not --backend local/],
    ['a stray argument', ['extra.json'], /Unexpected argument "extra\.json"/],
    ['a missing value', ['--depth'], /--depth/],
    ['a depth that is not a positive integer', ['--depth', '0'], /--depth must be an integer >= 1, got "0"/],
    ['a fractional limit', ['--limit', '2.5'], /--limit must be an integer >= 1, got "2\.5"/],
    ['a bad recall cutoff', ['--k', '10,x'], /--k \(each cutoff\) must be an integer >= 1, got "x"/],
    ['an empty recall list', ['--k', ''], /--k \(each cutoff\) must be an integer/],
    ['rel-level 0', ['--rel-level', '0'], /--rel-level must be an integer >= 1/],
    ['an unknown backend', ['--backend', 'openai'], /--backend must be one of local, cohere, jina, voyage, mixedbread, tei, vllm, infinity, llama-cpp, huggingface, none; got "openai"/],
    ['an unknown dtype', ['--dtype', 'int4'], /--dtype must be one of fp32, fp16, q8/],
    ['--api-model with tei', ['--backend', 'tei', '--base-url', 'http://127.0.0.1:1', '--api-model', 'x'], /--api-model does not apply to --backend tei/],
    ['tei without a URL', ['--backend', 'tei'], /--backend tei needs --base-url/],
    ['llama-cpp without a URL', ['--backend', 'llama-cpp'], /--backend llama-cpp needs --base-url/],
    ['vllm without a URL', ['--backend', 'vllm'], /--backend vllm needs --base-url, the address of your vLLM server/],
    ['infinity without a URL', ['--backend', 'infinity'], /--backend infinity needs --base-url/],
    ['huggingface with neither model nor URL', ['--backend', 'huggingface'], /--backend huggingface needs either --api-model/],
    ['huggingface with both', ['--backend', 'huggingface', '--api-model', 'a/b', '--base-url', 'http://127.0.0.1:1'], /not both/],
    ['a URL that is not http', ['--backend', 'jina', '--base-url', 'ftp://x'], /--base-url must be an http\(s\) URL/],
    ['--model with an API backend', ['--backend', 'cohere', '--model', 'x'], /--model is for --backend local, not --backend cohere/],
    ['--dtype with an API backend', ['--backend', 'voyage', '--dtype', 'q8'], /--dtype is for --backend local/],
    ['--api-model with the local backend', ['--api-model', 'x'], /--api-model is for API backends, not --backend local/],
    ['--model with no reranker', ['--backend', 'none', '--model', 'x'], /--model is for --backend local, not --backend none/],
    ['an empty --model', ['--model', ''], /--model needs a value/],
  ])('rejects %s with a UsageError', (_what, extra, message) => {
    expect(() => parseEvalArgs([...base, ...extra])).toThrow(UsageError);
    expect(() => parseEvalArgs([...base, ...extra])).toThrow(message);
  });

  test.each([
    ['--candidates', ['--qrels', 'q.txt']],
    ['--qrels', ['--candidates', 'c.json']],
  ])('requires %s', (flag, argv) => {
    expect(() => parseEvalArgs(argv)).toThrow(new RegExp(`Missing ${flag} <file>`));
  });
});
