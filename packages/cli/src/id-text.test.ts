import { DataFormatError } from './errors.js';
import { readIdText } from './id-text.js';

async function* lines(...items: string[]) {
  yield* items;
}

describe('readIdText', () => {
  test('reads TSV, splitting at the first tab only and dropping CR', async () => {
    const texts = await readIdText(lines('d1\tsome\ttext\r', '', 'd2\tmore'), { source: 'c.tsv', kind: 'corpus' });
    expect([...texts]).toEqual([
      ['d1', 'some\ttext'],
      ['d2', 'more'],
    ]);
  });

  test('reads corpus JSONL with any of the usual id and text fields, prepending a title', async () => {
    const texts = await readIdText(
      [
        '{"docid": "a", "text": "A"}',
        '{"_id": "b", "title": "Title", "text": "B"}',
        '{"id": 3, "contents": "C"}',
        '{"pid": "d", "content": "D", "title": ""}',
      ],
      { source: 'c.jsonl', kind: 'corpus' },
    );
    expect([...texts]).toEqual([
      ['a', 'A'],
      ['b', 'Title B'],
      ['3', 'C'],
      ['d', 'D'],
    ]);
  });

  test('reads queries JSONL (qid/_id/id with text/query) without touching titles', async () => {
    const texts = await readIdText(['{"qid": 1, "text": "one"}', '{"_id": "2", "query": "two", "title": "T"}'], {
      source: 'q.jsonl',
      kind: 'queries',
    });
    expect([...texts]).toEqual([
      ['1', 'one'],
      ['2', 'two'],
    ]);
  });

  test('keeps only the wanted ids', async () => {
    const texts = await readIdText(lines('a\tA', 'b\tB', 'c\tC'), { source: 'c', kind: 'corpus', wanted: new Set(['c', 'a']) });
    expect([...texts.keys()]).toEqual(['a', 'c']);
  });

  test.each([
    ['a TSV line without a tab', ['a\tA', 'no tab here'], /c:2: expected "id<TAB>text"/],
    ['invalid JSON', ['{"docid": "a", "text": "A"}', '{oops'], /c:2: not valid JSON/],
    ['a JSON line that is not an object', ['{"docid": "a", "text": "A"}', '[1]'], /c:2: expected a JSON object/],
    ['a JSON object without an id', ['{"text": "A"}'], /c:1: no id field; expected one of docid, _id, id/],
    ['a JSON object without text', ['{"docid": "a", "body": "A"}'], /c:1: no text field; expected one of text, contents, content/],
    ['a repeated id', ['a\tA', 'a\tB'], /c:2: id a appears twice in the corpus file/],
  ])('rejects %s with a DataFormatError naming the line', async (_what, input, message) => {
    const read = readIdText(input, { source: 'c', kind: 'corpus' });
    await expect(read).rejects.toThrow(DataFormatError);
    await expect(readIdText(input, { source: 'c', kind: 'corpus' })).rejects.toThrow(message);
  });
});
