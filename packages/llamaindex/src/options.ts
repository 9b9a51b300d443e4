import { checkKnownKeys, InvalidInputError, type Reranker } from '@crossrank/core';
import type { CrossEncoderLoadOptions } from '@crossrank/onnx';
import type { MetadataMode } from 'llamaindex';

interface CommonOptions {
  /** Keep at most this many nodes (after `scoreThreshold`). Default: 3. */
  topN?: number;
  /**
   * Drop nodes whose rerank score is below this value. On the reranker's scale: [0, 1] for API
   * backends, the model's own for `model` (raw logits if its config declares Identity);
   * `modelOptions: { activation: 'sigmoid' }` gives [0, 1] from any model.
   */
  scoreThreshold?: number;
  /**
   * Which text of each node is scored. Default: `MetadataMode.EMBED`, the text the node was
   * embedded as (as Python's `SentenceTransformerRerank` does).
   */
  metadataMode?: MetadataMode;
  /** Keep the retriever's score in the returned node's `metadata.retrievalScore`. Default: false. */
  keepRetrievalScore?: boolean;
}

export interface ModelOptions extends CommonOptions {
  /** A Hugging Face hub id (e.g. `Xenova/ms-marco-MiniLM-L-6-v2`) or a local model folder. */
  model: string;
  /** Passed to `CrossEncoder.load`; the model is loaded on first use, once. */
  modelOptions?: CrossEncoderLoadOptions;
  reranker?: never;
}

export interface RerankerOptions extends CommonOptions {
  /** Any `@crossrank/core` reranker: a loaded `CrossEncoder`, a hosted API reranker, your own. */
  reranker: Reranker;
  model?: never;
  modelOptions?: never;
}

export type CrossEncoderRerankOptions = ModelOptions | RerankerOptions;

export interface ResolvedOptions {
  topN: number;
  scoreThreshold: number | undefined;
  metadataMode: MetadataMode;
  keepRetrievalScore: boolean;
}

export const DEFAULT_TOP_N = 3;
const OPTION_KEYS = ['model', 'modelOptions', 'reranker', 'topN', 'scoreThreshold', 'metadataMode', 'keepRetrievalScore'] satisfies Array<keyof ModelOptions | keyof RerankerOptions>;
// The enum's values are these strings; naming them here keeps llamaindex a types-only dependency.
const METADATA_MODES = ['ALL', 'EMBED', 'LLM', 'NONE'] as const;
const DEFAULT_METADATA_MODE = 'EMBED' as MetadataMode.EMBED;

/** Checks the constructor's options up front, so a typo fails at setup rather than mid-query. */
export function resolveOptions(options: CrossEncoderRerankOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidInputError(`CrossEncoderRerank needs an options object with a model or a reranker, got ${options === null ? 'null' : typeof options}.`);
  }
  checkKnownKeys(options, OPTION_KEYS, 'CrossEncoderRerank options');
  const { model, reranker, modelOptions, topN, scoreThreshold, metadataMode, keepRetrievalScore } = options;
  if ((model === undefined) === (reranker === undefined)) {
    throw new InvalidInputError(
      'CrossEncoderRerank needs exactly one of `model` (a hub id or local folder, loaded on first use) or `reranker` (a @crossrank/core Reranker).',
    );
  }
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) {
    throw new InvalidInputError(`options.model must be a hub id or a local folder path, got ${show(model)}.`);
  }
  if (modelOptions !== undefined && (reranker !== undefined || modelOptions === null || typeof modelOptions !== 'object')) {
    throw new InvalidInputError('options.modelOptions must be an object, and is only used with options.model (a `reranker` is already loaded).');
  }
  if (reranker !== undefined && (reranker === null || typeof (reranker as Partial<Reranker>).rerank !== 'function')) {
    throw new InvalidInputError('options.reranker must implement rerank(query, documents, options) from @crossrank/core.');
  }
  // topN 0 keeps nothing, as in every crossrank reranker (the contract's rule).
  if (topN !== undefined && (!Number.isInteger(topN) || topN < 0)) {
    throw new InvalidInputError(`options.topN must be a non-negative integer (0 keeps none), got ${show(topN)}.`);
  }
  // The reranker checks the threshold against its own score range (raw logits for identity models).
  if (scoreThreshold !== undefined && (typeof scoreThreshold !== 'number' || !Number.isFinite(scoreThreshold))) {
    throw new InvalidInputError(`options.scoreThreshold must be a finite number, got ${show(scoreThreshold)}.`);
  }
  if (metadataMode !== undefined && !(METADATA_MODES as readonly string[]).includes(metadataMode)) {
    throw new InvalidInputError(`options.metadataMode must be a MetadataMode (${METADATA_MODES.join(', ')}), got ${show(metadataMode)}.`);
  }
  if (keepRetrievalScore !== undefined && typeof keepRetrievalScore !== 'boolean') {
    throw new InvalidInputError(`options.keepRetrievalScore must be a boolean, got ${typeof keepRetrievalScore}.`);
  }
  return {
    topN: topN ?? DEFAULT_TOP_N,
    scoreThreshold,
    metadataMode: metadataMode ?? DEFAULT_METADATA_MODE,
    keepRetrievalScore: keepRetrievalScore ?? false,
  };
}

/** A value as a message shows it: strings quoted, so `topN: '2'` reads as the string it is. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `${typeof value} ${String(value)}`;
}
