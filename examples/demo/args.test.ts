import { InvalidInputError } from '@crossrank/core';
import { DEFAULT_MODEL, DEFAULT_QUERY, parseDemoArgs } from './args';
import { UsageError } from './errors';

describe('parseDemoArgs', () => {
  it('defaults to the README question, the MiniLM cross-encoder, 20 candidates and 3 results', () => {
    expect(parseDemoArgs([], {})).toEqual({
      help: false,
      query: DEFAULT_QUERY,
      model: DEFAULT_MODEL,
      dtype: undefined,
      topK: 20,
      topN: 3,
      offline: false,
      cacheDir: undefined,
    });
  });

  it('reads every flag', () => {
    const args = parseDemoArgs(
      ['--query', 'What is an overlay network?', '--model', './m', '--dtype', 'fp32', '--top-k', '50', '--top-n', '5', '--cache-dir', '/tmp/c', '--offline'],
      {},
    );
    expect(args).toMatchObject({ query: 'What is an overlay network?', model: './m', dtype: 'fp32', topK: 50, topN: 5, cacheDir: '/tmp/c', offline: true });
    expect(parseDemoArgs(['-h'], {}).help).toBe(true);
  });

  it('takes the question as plain words too', () => {
    expect(parseDemoArgs(['What', 'is', 'TLS?'], {}).query).toBe('What is TLS?');
    expect(() => parseDemoArgs(['--query', 'a', 'b'], {})).toThrow(/either with --query or as an argument/);
  });

  it('turns offline mode on from CROSSRANK_OFFLINE unless it says 0/false', () => {
    expect(parseDemoArgs([], { CROSSRANK_OFFLINE: '1' }).offline).toBe(true);
    expect(parseDemoArgs([], { CROSSRANK_OFFLINE: 'true' }).offline).toBe(true);
    expect(parseDemoArgs([], { CROSSRANK_OFFLINE: '0' }).offline).toBe(false);
    expect(parseDemoArgs([], { CROSSRANK_OFFLINE: 'false' }).offline).toBe(false);
  });

  it('rejects bad input with a UsageError that says what to do', () => {
    const bad: Array<[string[], RegExp]> = [
      [['--top-k', '0'], /--top-k must be a positive whole number, got "0"/],
      [['--top-n', '2.5'], /--top-n must be a positive whole number/],
      [['--top-k', '2', '--top-n', '3'], /--top-n \(3\) cannot exceed --top-k \(2\)/],
      [['--query', '   '], /question is empty/],
      [['--model', ''], /--model is empty/],
      [['--dtype', 'int4'], /--dtype must be one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4, got "int4"/],
      [['--nope'], /Unknown option '--nope'.*--help/],
      [['--query'], /--query.*argument missing.*--help/],
    ];
    for (const [argv, message] of bad) {
      let error: unknown;
      try {
        parseDemoArgs(argv, {});
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
