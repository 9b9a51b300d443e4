import type { BaseNode, NodeWithScore } from 'llamaindex';

export const RETRIEVAL_SCORE_KEY = 'retrievalScore';

/**
 * The returned entry for one reranked node. Without `keepRetrievalScore` the caller's node object
 * is shared (it is not changed, and sharing keeps node identity for code that compares them).
 * With it, the node is copied (see `copyNode`) so the score can go in the copy's metadata without
 * touching the caller's node.
 */
export function rerankedNode(original: NodeWithScore, score: number, keepRetrievalScore: boolean): NodeWithScore {
  if (!keepRetrievalScore || typeof original.score !== 'number') return { node: original.node, score };
  const node = copyNode(original.node);
  node.metadata = { ...node.metadata, [RETRIEVAL_SCORE_KEY]: original.score };
  // Bookkeeping, not content: keep it out of the text that is embedded and shown to the LLM, where
  // it would change the prompt (LlamaIndex renders metadata into both by default).
  node.excludedEmbedMetadataKeys = withKey(node.excludedEmbedMetadataKeys);
  node.excludedLlmMetadataKeys = withKey(node.excludedLlmMetadataKeys);
  return { node, score };
}

function withKey(keys: readonly string[] | undefined): string[] {
  const list = [...(keys ?? [])];
  if (!list.includes(RETRIEVAL_SCORE_KEY)) list.push(RETRIEVAL_SCORE_KEY);
  return list;
}

/**
 * The node's own `clone()` when it works: a deep copy with the same id. It fails on metadata that
 * `structuredClone` refuses (functions, class instances), and it rebuilds only LlamaIndex's own
 * node classes, so a subclass comes back as a plain `TextNode`. In those cases, copy through the
 * node's own constructor instead: same class, a new top-level object, nested values shared (the
 * caller's metadata object itself is never written to: the caller replaces it).
 */
export function copyNode(node: BaseNode): BaseNode {
  try {
    const copy = node.clone();
    if (copy.constructor === node.constructor) return copy;
  } catch {
    // Not structured-cloneable: fall through to the constructor copy.
  }
  const NodeClass = node.constructor as new (init: Record<string, unknown>) => BaseNode;
  return new NodeClass({ ...node.toJSON() });
}
