import { CrossrankError, InvalidInputError } from '@crossrank/core';
import { MissingQueryError } from './errors.js';
import { queryText } from './query-text.js';

describe('queryText', () => {
  it('returns a string query as is', () => {
    expect(queryText('what is onnx?')).toBe('what is onnx?');
  });

  it('joins the text parts of a MessageContent and ignores the rest', () => {
    const text = queryText([
      { type: 'text', text: 'first part' },
      { type: 'image_url', image_url: { url: 'https://example.invalid/cat.png' } },
      { type: 'text', text: 'second part' },
    ]);
    expect(text).toBe('first part\n\nsecond part');
  });

  it('unwraps a { query } bundle', () => {
    expect(queryText({ query: [{ type: 'text', text: 'bundled' }] })).toBe('bundled');
  });

  it.each([undefined, null])('throws MissingQueryError for %p', (value) => {
    expect(() => queryText(value)).toThrow(MissingQueryError);
    expect(() => queryText(value)).toThrow(/needs a query/);
  });

  it('throws MissingQueryError when there is no text to rank against', () => {
    const imageOnly = [{ type: 'image_url' as const, image_url: { url: 'https://example.invalid/cat.png' } }];
    expect(() => queryText(imageOnly)).toThrow(MissingQueryError);
    expect(() => queryText('   ')).toThrow(MissingQueryError);
    expect(() => queryText([])).toThrow(MissingQueryError);
  });

  it('throws InvalidInputError for something that is not a query', () => {
    expect(() => queryText(42 as never)).toThrow(InvalidInputError);
  });

  it('MissingQueryError is a CrossrankError with its own code', () => {
    const error = (() => {
      try {
        queryText(undefined);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CrossrankError);
    expect(error).toMatchObject({ name: 'MissingQueryError', code: 'CROSSRANK_MISSING_QUERY' });
  });
});
