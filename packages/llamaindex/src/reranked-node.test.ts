import { Document, MetadataMode, TextNode, type BaseNode } from 'llamaindex';
import { copyNode, rerankedNode, RETRIEVAL_SCORE_KEY } from './reranked-node.js';

class TaggedNode extends TextNode {
  readonly tag: string;
  constructor(init: ConstructorParameters<typeof TextNode>[0] & { tag?: string } = {}) {
    super(init);
    this.tag = init.tag ?? '';
  }
}

describe('copyNode', () => {
  it('deep-copies LlamaIndex nodes with their own clone(): same id, class and content', () => {
    const node = new Document({ id_: 'doc-1', text: 'body', metadata: { nested: { a: 1 } }, excludedLlmMetadataKeys: ['nested'] });
    const copy = copyNode(node);
    expect(copy).not.toBe(node);
    expect(copy).toBeInstanceOf(Document);
    expect(copy.id_).toBe('doc-1');
    expect(copy.getContent(MetadataMode.ALL)).toBe(node.getContent(MetadataMode.ALL));
    expect(copy.metadata['nested']).not.toBe(node.metadata['nested']);
    expect(copy.excludedLlmMetadataKeys).not.toBe(node.excludedLlmMetadataKeys);
  });

  it('keeps a subclass and its fields, which clone() would turn into a TextNode', () => {
    const node = new TaggedNode({ id_: 't', text: 'body', tag: 'mine' });
    expect(node.clone()).not.toBeInstanceOf(TaggedNode);
    const copy = copyNode(node) as TaggedNode;
    expect(copy).toBeInstanceOf(TaggedNode);
    expect(copy.tag).toBe('mine');
    expect(copy.id_).toBe('t');
  });

  it('copies a node whose metadata structuredClone refuses', () => {
    const format = () => 'x';
    const node = new TextNode({ text: 'body', metadata: { format } });
    expect(() => node.clone()).toThrow();
    const copy = copyNode(node);
    expect(copy).not.toBe(node);
    expect(copy.metadata['format']).toBe(format);
  });
});

describe('rerankedNode', () => {
  it('with keepRetrievalScore, leaves a node with uncloneable metadata untouched', () => {
    const node: BaseNode = new TextNode({ text: 'body', metadata: { format: () => 'x' } });
    const before = { ...node.metadata };
    const out = rerankedNode({ node, score: 0.25 }, 0.9, true);
    expect(out.node.metadata[RETRIEVAL_SCORE_KEY]).toBe(0.25);
    expect(node.metadata).toEqual(before);
    expect(node.excludedLlmMetadataKeys).toEqual([]);
  });

  it('without a retrieval score there is nothing to keep: the node is shared', () => {
    const node = new TextNode({ text: 'body' });
    const out = rerankedNode({ node }, 0.9, true);
    expect(out).toEqual({ node, score: 0.9 });
    expect(out.node).toBe(node);
  });
});
