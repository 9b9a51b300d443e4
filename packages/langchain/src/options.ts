import { checkKnownKeys, InvalidInputError, type Reranker } from '@crossrank/core';
import type { CrossEncoderLoadOptions } from '@crossrank/onnx';

interface CommonFields {
  /** Keep at most this many documents, best first. Default: 3. */
  topN?: number;
  /**
   * Drop documents scoring below this value; applied before `topN`. On the reranker's scale: [0, 1]
   * for API backends, the model's own for `model` (raw logits if its config declares Identity);
   * `modelOptions: { activation: 'sigmoid' }` gives [0, 1] from any model.
   */
  scoreThreshold?: number;
  /** The metadata key that receives each kept document's score. Default: `relevanceScore` (as CohereRerank). */
  scoreKey?: string;
}

export interface ModelFields extends CommonFields {
  /** A Hugging Face hub id (e.g. `Xenova/ms-marco-MiniLM-L-6-v2`) or a local model folder; loaded on first use. */
  model: string;
  /** Passed to `CrossEncoder.load` (dtype, maxLength, threads, localFilesOnly, cacheDir, ...). */
  modelOptions?: CrossEncoderLoadOptions;
  reranker?: never;
}

export interface RerankerFields extends CommonFields {
  /** Any `@crossrank/core` reranker, local (`CrossEncoder`) or hosted (API backends). */
  reranker: Reranker;
  model?: never;
  modelOptions?: never;
}

export type CrossEncoderRerankerFields = ModelFields | RerankerFields;

export const DEFAULT_TOP_N = 3;
const FIELD_KEYS = ['model', 'modelOptions', 'reranker', 'topN', 'scoreThreshold', 'scoreKey'] satisfies Array<keyof ModelFields | keyof RerankerFields>;
export const DEFAULT_SCORE_KEY = 'relevanceScore';

export interface ResolvedFields {
  model?: string;
  modelOptions?: CrossEncoderLoadOptions;
  reranker?: Reranker;
  topN: number;
  scoreThreshold?: number;
  scoreKey: string;
}

/** Checks the constructor's fields up front so a misconfiguration fails at startup, not at the first query. */
export function resolveFields(fields: CrossEncoderRerankerFields): ResolvedFields {
  if (fields === null || typeof fields !== 'object') {
    throw new InvalidInputError(
      `CrossEncoderReranker needs an options object, e.g. new CrossEncoderReranker({ model: 'Xenova/ms-marco-MiniLM-L-6-v2' }); got ${show(fields)}.`,
    );
  }
  checkKnownKeys(fields, FIELD_KEYS, 'CrossEncoderReranker options');
  // Read as unknown: callers in plain JS (or with casts) can pass anything, and each field is checked below.
  const { model, modelOptions, reranker, topN = DEFAULT_TOP_N, scoreThreshold, scoreKey = DEFAULT_SCORE_KEY } = fields as unknown as Record<string, unknown>;
  if (model !== undefined && reranker !== undefined) {
    throw new InvalidInputError('CrossEncoderReranker takes either `model` or `reranker`, not both: pass a model id/folder to load one, or a ready Reranker.');
  }
  if (model === undefined && reranker === undefined) {
    throw new InvalidInputError("CrossEncoderReranker needs `model` (a hub id such as 'Xenova/ms-marco-MiniLM-L-6-v2' or a local folder) or `reranker` (a @crossrank/core Reranker).");
  }
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) {
    throw new InvalidInputError(`model must be a non-empty string (a hub id or a local folder), got ${show(model)}.`);
  }
  if (modelOptions !== undefined && reranker !== undefined) {
    throw new InvalidInputError('modelOptions only applies with `model`; configure a ready `reranker` where you create it.');
  }
  if (modelOptions !== undefined && (modelOptions === null || typeof modelOptions !== 'object')) {
    throw new InvalidInputError(`modelOptions must be an object of CrossEncoder.load options, got ${show(modelOptions)}.`);
  }
  if (reranker !== undefined && (reranker === null || typeof (reranker as Partial<Reranker>).rerank !== 'function')) {
    throw new InvalidInputError(`reranker must implement Reranker (a rerank(query, documents, options) method), got ${show(reranker)}.`);
  }
  checkTopN(topN, 'topN');
  checkThreshold(scoreThreshold, 'scoreThreshold');
  if (typeof scoreKey !== 'string' || scoreKey === '') {
    throw new InvalidInputError(`scoreKey must be a non-empty string (the metadata key for the score), got ${show(scoreKey)}.`);
  }
  return {
    model: model as string | undefined,
    modelOptions: modelOptions as CrossEncoderLoadOptions | undefined,
    reranker: reranker as Reranker | undefined,
    topN,
    scoreThreshold,
    scoreKey,
  };
}

/** `topN: 0` keeps nothing, as in every crossrank reranker (the contract's rule). */
export function checkTopN(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidInputError(`${name} must be a non-negative integer (how many documents to keep; 0 keeps none), got ${show(value)}.`);
  }
}

export function checkThreshold(value: unknown, name: string): asserts value is number | undefined {
  // The reranker checks the threshold against its own score range (raw logits for identity models).
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw new InvalidInputError(`${name} must be a finite number, got ${show(value)}.`);
  }
}

export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `${typeof value} ${String(value)}`;
}
