import { InvalidArgumentError, type SharedV4ProviderOptions } from '@ai-sdk/provider';
import { checkKnownKeys, InvalidInputError, UnknownOptionError } from '@crossrank/core';
import type { CrossEncoderLoadOptions } from './load-cross-encoder.js';

/**
 * A Hugging Face hub id of a cross-encoder with ONNX files (`onnx/model*.onnx`, as the `Xenova/*`
 * exports have) or a local model folder. The named id is crossrank's default; any other string works.
 */
export type CrossrankRerankingModelId = 'Xenova/ms-marco-MiniLM-L-6-v2' | (string & {});

/** How to load a local model: crossrank's `CrossEncoder.load` options (`dtype`, `maxLength`, `threads`, ...). */
export type CrossrankRerankingModelOptions = CrossEncoderLoadOptions;

/** Per-call options, passed as `providerOptions: { crossrank: { ... } }` to `rerank()`. */
export interface CrossrankProviderOptions {
  /**
   * For object documents: the field(s) whose values are scored, joined by a newline in the order
   * given (`['title', 'content']`). Default: the whole object as JSON, with a `compatibility` warning.
   */
  fields?: string[];
  /** Drop documents scoring below this (in the reranker's score scale, see README) before `topN` is applied. */
  scoreThreshold?: number;
  /**
   * Causal-LM rerankers (e.g. Qwen3-Reranker) only: this call's task instruction. Default: the
   * model's (set one for every call with the load option `instruction`).
   */
  instruction?: string;
}

/** The `providerOptions` key this provider reads. */
export const PROVIDER_OPTIONS_KEY = 'crossrank';

/** Checks `providerOptions.crossrank`, throwing the AI SDK's `InvalidArgumentError` as `ai` users expect. */
export function parseCrossrankProviderOptions(providerOptions: SharedV4ProviderOptions | undefined): CrossrankProviderOptions {
  const raw: unknown = providerOptions?.[PROVIDER_OPTIONS_KEY];
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid(`providerOptions.crossrank must be an object like { fields: ['title', 'content'] }, got ${describeValue(raw)}.`);
  }
  // crossrank's one rule for unknown keys, thrown as the AI SDK's error.
  try {
    checkKnownKeys(raw, ['fields', 'scoreThreshold', 'instruction'] satisfies Array<keyof CrossrankProviderOptions>, 'providerOptions.crossrank');
  } catch (error) {
    if (error instanceof UnknownOptionError) throw invalid(error.message);
    throw error;
  }
  const { fields, scoreThreshold, instruction } = raw as Record<string, unknown>;
  const parsed: CrossrankProviderOptions = {};
  if (fields !== undefined) parsed.fields = parseFields(fields);
  if (scoreThreshold !== undefined) {
    if (typeof scoreThreshold !== 'number' || !Number.isFinite(scoreThreshold)) {
      throw invalid(`providerOptions.crossrank.scoreThreshold must be a finite number (in the reranker's score scale), got ${describeValue(scoreThreshold)}.`);
    }
    parsed.scoreThreshold = scoreThreshold;
  }
  if (instruction !== undefined) {
    if (typeof instruction !== 'string') throw invalid(`providerOptions.crossrank.instruction must be a string (the task instruction of a causal-LM reranker), got ${describeValue(instruction)}.`);
    parsed.instruction = instruction;
  }
  return parsed;
}

function parseFields(fields: unknown): string[] {
  const example = "e.g. ['title', 'content']";
  if (!Array.isArray(fields) || fields.length === 0) {
    throw invalid(`providerOptions.crossrank.fields must be a non-empty array of field names, ${example}; got ${describeValue(fields)}.`);
  }
  fields.forEach((field, i) => {
    if (typeof field !== 'string' || field === '') {
      throw invalid(`providerOptions.crossrank.fields[${i}] must be a non-empty field name, ${example}; got ${describeValue(field)}.`);
    }
    if (fields.indexOf(field) !== i) {
      throw invalid(`providerOptions.crossrank.fields names ${JSON.stringify(field)} twice; list each field once.`);
    }
  });
  return [...(fields as string[])];
}

/** Construction-time check (crossrank's own `InvalidInputError`, as the rest of crossrank throws). */
export function checkModelOptions(modelId: unknown, options: unknown): void {
  if (typeof modelId !== 'string' || modelId.trim() === '') {
    throw new InvalidInputError(
      `crossrank.rerankingModel needs a hub id or model folder like 'Xenova/ms-marco-MiniLM-L-6-v2', got ${describeValue(modelId)}.`,
    );
  }
  checkLoadOptions('crossrank.rerankingModel options', options);
}

/** `where` names the option in the message, e.g. `'createCrossrank settings.loadOptions'`. */
export function checkLoadOptions(where: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new InvalidInputError(`${where} must be an object like { dtype: 'q8' }, got ${describeValue(options)}.`);
  }
}

function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument: 'providerOptions', message });
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  return `${typeof value} ${String(value)}`;
}
