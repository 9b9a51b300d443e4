import type { RerankResult } from '@crossrank/core';
import { RequestRefused } from '../limits.js';

/** A rerank request as every shape reads it. */
export interface ParsedRerank {
  query: string;
  documents: string[];
  /** Undefined: every document. */
  topN: number | undefined;
  /** Echo each document's text in its result (Jina `return_documents`, TEI `return_text`). */
  returnDocuments: boolean;
  /** TEI's `raw_scores`: the model's outputs before activation. */
  rawScores?: boolean;
}

/** One wire format the server speaks: where it listens, how it reads a body and writes an answer. */
export interface RerankShape {
  /** Label in logs and metrics: `cohere`, `jina`, `tei`. */
  name: string;
  path: string;
  parse(body: unknown): ParsedRerank;
  format(results: readonly RerankResult[], request: ParsedRerank, model: string): unknown;
  /** The error body this shape's clients read (`{message}`, `{error: {message}}`, `{error, error_type}`). */
  errorBody(status: number, message: string, extra: Record<string, unknown>): unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function requireRecord(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw new RequestRefused(400, 'The body must be a JSON object.');
  return body;
}

export function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') throw new RequestRefused(400, `"${key}" must be a string.`);
  return value;
}

/**
 * A list of texts: strings, or `{text}` objects as Cohere v1 and Jina also accept. Nothing else:
 * a number or a nested list is a client bug better reported than stringified.
 */
export function requireTexts(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (!Array.isArray(value)) throw new RequestRefused(400, `"${key}" must be an array of strings.`);
  return value.map((item, index) => {
    if (typeof item === 'string') return item;
    if (isRecord(item) && typeof item['text'] === 'string') return item['text'];
    throw new RequestRefused(400, `"${key}[${index}]" must be a string (or an object with a "text" string).`);
  });
}

/** `top_n`: absent, null or 0 mean every document (vLLM's convention for 0); otherwise an integer >= 1. */
export function optionalTopN(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === 0) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new RequestRefused(400, `"${key}" must be an integer >= 0.`);
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = body[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new RequestRefused(400, `"${key}" must be a boolean.`);
  return value;
}
