import { InvalidInputError, isCrossrankError, UnknownOptionError } from './errors.js';
import { checkKnownKeys, closestKey } from './known-keys.js';

const LOAD = ['dtype', 'maxLength', 'threads', 'workers', 'batchSize', 'localFilesOnly', 'cacheDir'];

describe('checkKnownKeys', () => {
  it('accepts known keys (any subset, with undefined values) and does not touch the object', () => {
    const options = Object.freeze({ dtype: 'q8', threads: undefined });
    expect(() => checkKnownKeys(options, LOAD, 'CrossEncoder.load options')).not.toThrow();
    expect(() => checkKnownKeys({}, LOAD, 'x')).not.toThrow();
  });

  it('rejects a misspelt key with a typed error naming it and the closest valid key', () => {
    const error = (() => {
      try {
        checkKnownKeys({ dytpe: 'q8' }, LOAD, 'CrossEncoder.load options');
      } catch (e) {
        return e;
      }
    })() as UnknownOptionError;
    expect(error).toBeInstanceOf(UnknownOptionError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(isCrossrankError(error, 'CROSSRANK_UNKNOWN_OPTION')).toBe(true);
    expect(error.name).toBe('UnknownOptionError');
    expect({ option: error.option, suggestion: error.suggestion }).toEqual({ option: 'dytpe', suggestion: 'dtype' });
    expect(error.message).toBe(
      'CrossEncoder.load options has an unknown option "dytpe". Did you mean "dtype"? Known options: dtype, maxLength, threads, workers, batchSize, localFilesOnly, cacheDir.',
    );
  });

  it('gives no suggestion when nothing is close', () => {
    expect(() => checkKnownKeys({ model: 'x' }, LOAD, 'opts')).toThrow(/^opts has an unknown option "model"\. Known options: dtype/);
  });
});

describe('closestKey', () => {
  it.each([
    ['dytpe', 'dtype'],
    ['topn', 'topN'],
    ['top_n', 'topN'],
    ['scoreTreshold', 'scoreThreshold'],
    ['localFileOnly', 'localFilesOnly'],
    ['maxlenght', 'maxLength'],
    ['thread', 'threads'],
    ['maxRetry', 'maxRetries'],
    ['truncate', 'truncation'],
    ['topk', 'topN'],
  ])('%s -> %s', (typo, meant) => {
    expect(closestKey(typo, [...LOAD, 'topN', 'scoreThreshold', 'signal', 'maxRetries', 'truncation'])).toBe(meant);
  });

  it.each(['model', 'x', 'temperature'])('%s -> nothing', (far) => {
    expect(closestKey(far, [...LOAD, 'topN', 'signal'])).toBeUndefined();
  });
});
