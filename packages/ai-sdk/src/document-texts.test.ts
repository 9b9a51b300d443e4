import { InvalidArgumentError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { documentTexts } from './document-texts.js';

describe('documentTexts', () => {
  it('text documents are scored as they are (a copy), fields is reported unused', () => {
    const values = ['a', 'b'];
    const plain = documentTexts({ type: 'text', values }, undefined);
    expect(plain).toEqual({ texts: ['a', 'b'], warnings: [] });
    expect(plain.texts).not.toBe(values);
    expect(documentTexts({ type: 'text', values }, ['title']).warnings).toEqual([
      expect.objectContaining({ type: 'unsupported', feature: 'providerOptions.crossrank.fields' }),
    ]);
  });

  it('object documents default to their JSON text with a compatibility warning', () => {
    const { texts, warnings } = documentTexts({ type: 'object', values: [{ a: 1 }, { b: 'x' }] }, undefined);
    expect(texts).toEqual(['{"a":1}', '{"b":"x"}']);
    expect(warnings).toEqual([expect.objectContaining({ type: 'compatibility', feature: 'object documents' })]);
  });

  it('fields: values in the order named, joined by a newline; non-strings as text; absent and null fields skipped', () => {
    const values = [
      { title: 'T', content: 'C', year: 2020 },
      { content: 'only content', title: null },
      { title: 'tags', content: ['a', 'b'], meta: { x: 1 } },
    ];
    const before = structuredClone(values);
    const { texts, warnings } = documentTexts({ type: 'object', values }, ['content', 'title', 'year']);
    expect(texts).toEqual(['C\nT\n2020', 'only content', '["a","b"]\ntags']);
    expect(warnings).toEqual([]);
    expect(values).toEqual(before);
  });

  it('a document with none of the fields is an InvalidArgumentError naming it and its fields', () => {
    let thrown: unknown;
    try {
      documentTexts({ type: 'object', values: [{ title: 'a' }, { name: 'b' }] }, ['title']);
    } catch (error) {
      thrown = error;
    }
    expect(InvalidArgumentError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({ argument: 'documents' });
    expect((thrown as Error).message).toMatch(/documents\[1\] has none of the fields .*"title".*its fields are "name"/);
  });

  it("inherited properties are not fields: 'constructor' or 'toString' never reach the prototype", () => {
    expect(() => documentTexts({ type: 'object', values: [{ a: 'x' }] }, ['constructor', 'toString'])).toThrow(/has none of the fields/);
  });
});
