// Test helper (not exported): one description per protocol so the same fault suite runs against
// every backend, each answered in its own wire format.
import type { ApiReranker } from './api-reranker.js';
import { sigmoid } from '@crossrank/core';
import { CohereReranker } from './cohere.js';
import { HuggingFaceReranker } from './hugging-face.js';
import { JinaReranker } from './jina.js';
import { LlamaCppReranker } from './llama-cpp.js';
import { MixedbreadReranker } from './mixedbread.js';
import type { ApiRerankerOptions } from './options.js';
import { TeiReranker } from './tei.js';
import { VoyageReranker } from './voyage.js';

export interface WireResult {
  index: number;
  score: number;
}

export interface Protocol {
  name: string;
  /** Path the backend must POST to. */
  path: string;
  /** Fixture prefix in packages/api/fixtures/api. */
  fixture: string;
  /** Error-body fixture and its status. */
  errorFixture: { file: string; status: number };
  /** Key of the score and of the top-n field in the wire format (no top-n field for TEI). */
  scoreKey: string;
  topNKey: string | undefined;
  /** Without a top-n field: the exact keys of every request body. */
  bodyKeys?: string[];
  /**
   * How the client maps a wire score into [0, 1]: the sigmoid for servers that send raw model
   * outputs (llama.cpp); absent where the wire score already is the relevance.
   */
  toScore?: (wire: number) => number;
  create(baseUrl: string, options?: ApiRerankerOptions & { apiKey?: string }): ApiReranker;
  documentsOf(body: any): string[];
  /** Where the query sits in the body; default `body.query`. */
  queryOf?(body: any): string;
  /** Wraps results in the provider's response envelope. */
  respond(results: WireResult[]): unknown;
}

const wire = (scoreKey: string) => (results: WireResult[]) => results.map(({ index, score }) => ({ index, [scoreKey]: score }));

export const PROTOCOLS: Protocol[] = [
  {
    name: 'Cohere',
    path: '/v2/rerank',
    fixture: 'cohere-rerank',
    errorFixture: { file: 'cohere-rerank.error-400.json', status: 400 },
    scoreKey: 'relevance_score',
    topNKey: 'top_n',
    create: (baseUrl, options = {}) => new CohereReranker({ apiKey: 'test-key', ...options, baseUrl }),
    documentsOf: (body) => body.documents,
    respond: (results) => ({ id: 'test', results: wire('relevance_score')(results), meta: { api_version: { version: '2' } } }),
  },
  {
    name: 'Jina',
    path: '/v1/rerank',
    fixture: 'jina-rerank',
    errorFixture: { file: 'jina-rerank.error-422.json', status: 422 },
    scoreKey: 'relevance_score',
    topNKey: 'top_n',
    create: (baseUrl, options = {}) => new JinaReranker({ apiKey: 'test-key', ...options, baseUrl }),
    documentsOf: (body) => body.documents,
    respond: (results) => ({ model: 'm', usage: { total_tokens: 1 }, results: wire('relevance_score')(results) }),
  },
  {
    name: 'Voyage',
    path: '/v1/rerank',
    fixture: 'voyage-rerank',
    errorFixture: { file: 'voyage-rerank.error-401.json', status: 401 },
    scoreKey: 'relevance_score',
    topNKey: 'top_k',
    create: (baseUrl, options = {}) => new VoyageReranker({ apiKey: 'test-key', ...options, baseUrl }),
    documentsOf: (body) => body.documents,
    respond: (results) => ({ object: 'list', data: wire('relevance_score')(results), model: 'm', usage: { total_tokens: 1 } }),
  },
  {
    name: 'Mixedbread',
    path: '/v1/reranking',
    fixture: 'mixedbread-rerank',
    errorFixture: { file: 'mixedbread-rerank.error-400.json', status: 400 },
    scoreKey: 'score',
    topNKey: 'top_k',
    create: (baseUrl, options = {}) => new MixedbreadReranker({ apiKey: 'test-key', ...options, baseUrl }),
    documentsOf: (body) => body.input,
    respond: (results) => ({ object: 'list', model: 'm', data: wire('score')(results), top_k: results.length, return_input: false }),
  },
  {
    name: 'TEI',
    path: '/rerank',
    fixture: 'tei-rerank',
    errorFixture: { file: 'tei-rerank.error-422.json', status: 422 },
    scoreKey: 'score',
    topNKey: undefined,
    bodyKeys: ['query', 'raw_scores', 'return_text', 'texts', 'truncate'],
    create: (baseUrl, options = {}) => new TeiReranker({ apiKey: 'test-key', ...options, baseUrl }),
    documentsOf: (body) => body.texts,
    respond: (results) => wire('score')(results),
  },
  {
    name: 'llama.cpp',
    path: '/v1/rerank',
    fixture: 'llama-cpp-rerank',
    errorFixture: { file: 'llama-cpp-rerank.error-400.json', status: 400 },
    scoreKey: 'relevance_score',
    topNKey: 'top_n',
    toScore: sigmoid,
    create: (baseUrl, options = {}) => new LlamaCppReranker({ apiKey: 'test-key', ...options, baseUrl }),
    documentsOf: (body) => body.documents,
    // llama-server sorts by score before cutting to top_n (format_response_rerank).
    respond: (results) => ({
      model: 'm',
      object: 'list',
      usage: { prompt_tokens: 1, total_tokens: 1 },
      results: wire('relevance_score')([...results].sort((a, b) => b.score - a.score)),
    }),
  },
  {
    name: 'Hugging Face',
    path: '/',
    fixture: 'hugging-face-rerank',
    errorFixture: { file: 'hugging-face-rerank.error-400.json', status: 400 },
    scoreKey: 'score',
    topNKey: undefined,
    bodyKeys: ['inputs'],
    create: (baseUrl, options = {}) => new HuggingFaceReranker({ apiKey: 'test-key', ...options, endpointUrl: baseUrl }),
    documentsOf: (body) => body.inputs.texts,
    queryOf: (body) => body.inputs.query,
    respond: (results) => wire('score')(results),
  },
];

/** What a client reports for scores sent on the wire (through `toScore` where the protocol has one). */
export function clientScores(protocol: Protocol, wireScores: readonly number[]): number[] {
  return wireScores.map((score) => (protocol.toScore ? protocol.toScore(score) : score));
}

/** Test documents carry their own score ("s=0.42 …") so a server can answer any request. */
export function scoreOf(document: string): number {
  const match = /^s=(-?[0-9.]+)/.exec(document);
  if (!match) throw new Error(`test document without a score: ${document}`);
  return Number(match[1]);
}

export function makeDocuments(scores: readonly number[]): string[] {
  return scores.map((score, i) => `s=${score} document ${i}`);
}

/**
 * A well-behaved server's answer: every document scored, cut to top-n when asked. Returned in
 * index order, not score order, so the client must map by `index` rather than position.
 */
export function honestResults(protocol: Protocol, body: any): WireResult[] {
  const documents = protocol.documentsOf(body);
  const all = documents.map((document, index) => ({ index, score: scoreOf(document) }));
  const topN = protocol.topNKey ? (body[protocol.topNKey] as number | undefined) : undefined;
  if (topN === undefined) return all;
  const kept = new Set([...all].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, topN).map((r) => r.index));
  return all.filter((r) => kept.has(r.index));
}

export function queryOf(protocol: Protocol, body: any): string {
  return protocol.queryOf ? protocol.queryOf(body) : body.query;
}
