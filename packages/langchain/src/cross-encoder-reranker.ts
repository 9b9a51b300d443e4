import type { Reranker, RerankOptions, RerankResult } from '@crossrank/core';
import { checkKnownKeys, DisposeGuard, InvalidInputError } from '@crossrank/core';
import type { Callbacks } from '@langchain/core/callbacks/manager';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import { BaseDocumentCompressor } from '@langchain/core/retrievers/document_compressors';
import { checkResults } from './check-results.js';
import { LazyModel } from './lazy-model.js';
import { checkThreshold, checkTopN, resolveFields, show, type CrossEncoderRerankerFields } from './options.js';
import { traceStep } from './tracing.js';

/** One ranked document, as CohereRerank's `rerank` returns it: `index` points into the caller's array. */
export interface RelevanceResult {
  index: number;
  relevanceScore: number;
}

export interface CrossEncoderRerankOptions {
  /** Default: the instance's `topN`. Pass `documents.length` to rank them all. */
  topN?: number;
  /** Default: the instance's `scoreThreshold`. */
  scoreThreshold?: number;
  signal?: AbortSignal;
  /**
   * Causal-LM rerankers (e.g. Qwen3-Reranker) only: this call's task instruction, passed to the
   * reranker's `rerank`. Default: the model's (set one for every call with `modelOptions.instruction`).
   */
  instruction?: string;
}

/** The name of the child run that tracing handlers see for each `compressDocuments` call. */
export const RERANK_RUN_NAME = 'CrossEncoderReranker';

/**
 * A LangChain document compressor that reorders retrieved documents by a cross-encoder's relevance
 * to the query and keeps the best `topN`. Local (`model`: a hub id or folder, loaded on first use)
 * or any `@crossrank/core` `Reranker` (`reranker`: local or a hosted API).
 */
export class CrossEncoderReranker extends BaseDocumentCompressor {
  readonly topN: number;
  readonly scoreThreshold: number | undefined;
  readonly scoreKey: string;
  /** The hub id or folder given as `model`; undefined when a ready `reranker` was given. */
  readonly model: string | undefined;
  private readonly given: Reranker | undefined;
  private readonly lazy: LazyModel | undefined;
  private readonly guard = new DisposeGuard('CrossEncoderReranker');

  constructor(fields: CrossEncoderRerankerFields) {
    super();
    const resolved = resolveFields(fields);
    this.topN = resolved.topN;
    this.scoreThreshold = resolved.scoreThreshold;
    this.scoreKey = resolved.scoreKey;
    this.model = resolved.model;
    this.given = resolved.reranker;
    this.lazy = resolved.model !== undefined ? new LazyModel(resolved.model, resolved.modelOptions) : undefined;
  }

  /**
   * Returns new `Document`s (the inputs are left as they were): best first, at most `topN`, each
   * with its score under `metadata[scoreKey]`. Only `pageContent` is scored.
   */
  compressDocuments(documents: DocumentInterface[], query: string, callbacks?: Callbacks): Promise<DocumentInterface[]> {
    return this.guard.run(() => this.compress(documents, query, callbacks));
  }

  private async compress(documents: DocumentInterface[], query: string, callbacks?: Callbacks): Promise<DocumentInterface[]> {
    checkQuery(query);
    checkDocuments(documents);
    if (documents.length === 0 || this.topN === 0) return [];
    const { topN, scoreThreshold } = this;
    const ranking = await traceStep(callbacks, {
      runName: RERANK_RUN_NAME,
      inputs: { query, candidates: documents.length, topN, scoreThreshold },
      work: (signal) => this.score(query, documents.map((doc) => doc.pageContent), topN, scoreThreshold, signal),
      outputs: (results, durationMs) => ({
        candidates: documents.length,
        kept: results.length,
        durationMs,
        ranking: results.map(({ index, score }) => ({ index, [this.scoreKey]: score })),
      }),
    });
    return ranking.map(({ index, score, span }) => withScore(documents[index]!, this.scoreKey, score, span));
  }

  /** Ranks documents (or plain strings) for `query`, like CohereRerank's `rerank`. */
  rerank(documents: ReadonlyArray<DocumentInterface | string>, query: string, options: CrossEncoderRerankOptions = {}): Promise<RelevanceResult[]> {
    return this.guard.run(() => this.rankTexts(documents, query, options));
  }

  private async rankTexts(documents: ReadonlyArray<DocumentInterface | string>, query: string, options: CrossEncoderRerankOptions): Promise<RelevanceResult[]> {
    checkQuery(query);
    if (!Array.isArray(documents)) throw new InvalidInputError(`documents must be an array of Documents or strings, got ${show(documents)}.`);
    const texts = documents.map((doc, i) => (typeof doc === 'string' ? doc : pageContentOf(doc, i)));
    if (options === null || typeof options !== 'object') throw new InvalidInputError(`options must be an object, got ${show(options)}.`);
    checkKnownKeys(options, ['topN', 'scoreThreshold', 'signal', 'instruction'] satisfies Array<keyof CrossEncoderRerankOptions>, 'rerank options');
    const topN = options.topN ?? this.topN;
    const scoreThreshold = options.scoreThreshold ?? this.scoreThreshold;
    checkTopN(topN, 'options.topN');
    checkThreshold(scoreThreshold, 'options.scoreThreshold');
    if (options.instruction !== undefined && typeof options.instruction !== 'string') throw new InvalidInputError(`options.instruction must be a string, got ${show(options.instruction)}.`);
    if (texts.length === 0 || topN === 0) return [];
    const results = await this.score(query, texts, topN, scoreThreshold, options.signal, options.instruction);
    return results.map(({ index, score }) => ({ index, relevanceScore: score }));
  }

  /**
   * Releases the model this instance loaded itself; a `reranker` you passed in stays yours to
   * dispose. As in `@crossrank/core`: calls already under way finish first, and later calls reject
   * with `DisposedError` (create a new `CrossEncoderReranker` to rerank again).
   */
  async dispose(): Promise<void> {
    await this.guard.dispose(async () => this.lazy?.dispose());
  }

  private async score(query: string, texts: string[], topN: number, scoreThreshold: number | undefined, signal: AbortSignal | undefined, instruction?: string): Promise<RerankResult[]> {
    const reranker = this.given ?? (await this.lazy!.get());
    // `instruction` goes only to a call that set it: rerankers without instructions never see the key.
    const options: RerankOptions & { instruction?: string } = { topN, scoreThreshold, signal, ...(instruction !== undefined ? { instruction } : {}) };
    const results = await reranker.rerank(query, texts, options);
    checkResults(results, texts.length, topN);
    return results;
  }
}

/** Where a reranker that scored the best window of a long document (`longDocuments: 'split'`) puts its span. */
export const RERANK_SPAN_KEY = 'rerankSpan';

/**
 * A new Document: same text, id and metadata (a shallow copy), plus the score and, when the
 * reranker gives one, the best window's character span in `pageContent` under `metadata.rerankSpan`.
 */
function withScore(doc: DocumentInterface, scoreKey: string, score: number, span?: { start: number; end: number }): Document {
  const metadata = { ...doc.metadata, [scoreKey]: score, ...(span ? { [RERANK_SPAN_KEY]: { start: span.start, end: span.end } } : {}) };
  return new Document({ pageContent: doc.pageContent, metadata, id: doc.id });
}

function checkQuery(query: unknown): asserts query is string {
  if (typeof query !== 'string') throw new InvalidInputError(`query must be a string, got ${show(query)}.`);
}

function checkDocuments(documents: unknown): asserts documents is DocumentInterface[] {
  if (!Array.isArray(documents)) throw new InvalidInputError(`documents must be an array of Documents, got ${show(documents)}.`);
  documents.forEach((doc, i) => pageContentOf(doc, i));
}

function pageContentOf(doc: unknown, i: number): string {
  const text = (doc as Partial<DocumentInterface> | null)?.pageContent;
  if (typeof text !== 'string') {
    throw new InvalidInputError(`documents[${i}] must be a Document with a string pageContent, got ${show(doc)}.`);
  }
  return text;
}
