import { CrossrankError, DisposeGuard, InvalidInputError, type Reranker, type RerankResult } from '@crossrank/core';
import type { BaseNodePostprocessor, MessageContent, MetadataMode, NodeWithScore } from 'llamaindex';
import { LazyCrossEncoder } from './lazy-cross-encoder.js';
import { resolveOptions, show, type CrossEncoderRerankOptions, type ResolvedOptions } from './options.js';
import { queryText } from './query-text.js';
import { rerankedNode } from './reranked-node.js';

/**
 * A LlamaIndex.TS node postprocessor that reorders retrieved nodes with a cross-encoder (local, by
 * default) and keeps the best `topN`: the TypeScript counterpart of Python's
 * `SentenceTransformerRerank`. Use it in `nodePostprocessors` of a query or chat engine.
 */
export class CrossEncoderRerank implements BaseNodePostprocessor {
  readonly topN: number;
  readonly scoreThreshold: number | undefined;
  readonly metadataMode: MetadataMode;
  readonly keepRetrievalScore: boolean;
  private readonly reranker: Reranker;
  /** Set only when this instance loads the model itself, and so owns (and disposes) it. */
  private readonly owned: LazyCrossEncoder | undefined;
  private readonly guard = new DisposeGuard('CrossEncoderRerank');

  constructor(options: CrossEncoderRerankOptions) {
    const resolved: ResolvedOptions = resolveOptions(options);
    this.topN = resolved.topN;
    this.scoreThreshold = resolved.scoreThreshold;
    this.metadataMode = resolved.metadataMode;
    this.keepRetrievalScore = resolved.keepRetrievalScore;
    if (options.reranker !== undefined) {
      this.reranker = options.reranker;
    } else {
      this.owned = new LazyCrossEncoder(options.model, options.modelOptions);
      this.reranker = this.owned;
    }
  }

  /**
   * Returns new `NodeWithScore` entries, best first, at most `topN`, each scored by the reranker
   * (on its scale: see `scoreThreshold`); the nodes passed in are not changed.
   */
  postprocessNodes(nodes: NodeWithScore[], query?: MessageContent): Promise<NodeWithScore[]> {
    return this.guard.run(() => this.rerankNodes(nodes, query));
  }

  private async rerankNodes(nodes: NodeWithScore[], query?: MessageContent): Promise<NodeWithScore[]> {
    if (!Array.isArray(nodes)) {
      throw new InvalidInputError(`nodes must be an array of NodeWithScore, got ${nodes === null ? 'null' : typeof nodes}.`);
    }
    if (nodes.length === 0) return [];
    const text = queryText(query);
    if (this.topN === 0) return [];
    const documents = nodes.map((entry, i) => nodeText(entry, i, this.metadataMode));
    const results = await this.reranker.rerank(text, documents, { topN: this.topN, scoreThreshold: this.scoreThreshold });
    return this.select(results, nodes.length).map(({ index, score, span }) => rerankedNode(nodes[index]!, score, this.keepRetrievalScore, span));
  }

  /**
   * Loads the model now instead of on the first query (e.g. at server start). A no-op when a
   * `reranker` was passed in.
   */
  warmup(): Promise<void> {
    return this.guard.run(async () => {
      await this.owned?.load();
    });
  }

  /**
   * Releases the model this instance loaded; a `reranker` passed in stays the caller's to dispose.
   * As in `@crossrank/core`: calls already under way finish first, and later calls reject with
   * `DisposedError` (create a new `CrossEncoderRerank` to rerank again).
   */
  async dispose(): Promise<void> {
    await this.guard.dispose(async () => this.owned?.dispose());
  }

  /**
   * The contract already applies threshold and `topN`; applying them again costs nothing and keeps
   * "at most topN" true for a hand-written `Reranker` that ignores them.
   */
  private select(results: RerankResult[], count: number): RerankResult[] {
    if (!Array.isArray(results)) {
      throw new CrossrankError(`The reranker returned ${typeof results} instead of an array of { index, score } results.`);
    }
    for (const result of results) {
      if (!Number.isInteger(result?.index) || result.index < 0 || result.index >= count || typeof result.score !== 'number') {
        throw new CrossrankError(`The reranker returned ${describeResult(result)}, not an { index, score } for one of the ${count} nodes.`);
      }
    }
    const kept = this.scoreThreshold === undefined ? results : results.filter((r) => r.score >= this.scoreThreshold!);
    return kept.slice(0, this.topN);
  }
}

function nodeText(entry: NodeWithScore, index: number, mode: MetadataMode): string {
  const node = entry?.node;
  if (!node || typeof node.getContent !== 'function') {
    throw new InvalidInputError(`nodes[${index}] must be a NodeWithScore ({ node, score }) holding a LlamaIndex node, got ${entry === null ? 'null' : typeof entry}.`);
  }
  return node.getContent(mode);
}

/** A result for a message; a hand-written reranker's output may not survive JSON.stringify (BigInt, cycles). */
function describeResult(result: unknown): string {
  try {
    return JSON.stringify(result) ?? String(result);
  } catch {
    return show(result);
  }
}
