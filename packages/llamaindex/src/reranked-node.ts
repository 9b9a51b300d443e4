import type { BaseNode, NodeWithScore } from 'llamaindex';

export const RETRIEVAL_SCORE_KEY = 'retrievalScore';

/** Where the best window's span goes when the reranker split a long text (`longDocuments: 'split'`). */
export const RERANK_SPAN_KEY = 'rerankSpan';

/**
 * The returned entry for one reranked node. Without `keepRetrievalScore` or a span the caller's
 * node object is shared (it is not changed, and sharing keeps node identity for code that compares
 * them). Otherwise the node is copied (see `copyNode`) so the retrieval score and the span (character
 * offsets into the text that was scored) can go in the copy's metadata without touching the caller's node.
 */
export function rerankedNode(original: NodeWithScore, score: number, keepRetrievalScore: boolean, span?: { start: number; end: number }): NodeWithScore {
  const keepScore = keepRetrievalScore && typeof original.score === 'number';
  if (!keepScore && !span) return { node: original.node, score };
  const node = copyNode(original.node);
  const added = { ...(keepScore ? { [RETRIEVAL_SCORE_KEY]: original.score } : {}), ...(span ? { [RERANK_SPAN_KEY]: { start: span.start, end: span.end } } : {}) };
  node.metadata = { ...node.metadata, ...added };
  // Bookkeeping, not content: keep it out of the text that is embedded and shown to the LLM, where
  // it would change the prompt (LlamaIndex renders metadata into both by default).
  node.excludedEmbedMetadataKeys = withKeys(node.excludedEmbedMetadataKeys, Object.keys(added));
  node.excludedLlmMetadataKeys = withKeys(node.excludedLlmMetadataKeys, Object.keys(added));
  return { node, score };
}

function withKeys(keys: readonly string[] | undefined, added: readonly string[]): string[] {
  const list = [...(keys ?? [])];
  for (const key of added) if (!list.includes(key)) list.push(key);
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
