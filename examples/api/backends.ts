import {
  CohereReranker,
  JinaReranker,
  MixedbreadReranker,
  TeiReranker,
  VoyageReranker,
  type ApiReranker,
} from '@crossrank/api';
import type { ApiArgs, Backend } from './args.js';
import { UsageError } from './errors.js';

/**
 * The key for a server named with --base-url. The providers' own variables (COHERE_API_KEY, ...) are
 * read by @crossrank/core only for the provider's hosted API, so a hosted key never reaches a
 * self-hosted or third-party URL; a server that wants a key gets this one, set on purpose.
 */
export const SELF_HOSTED_KEY_ENV = 'RERANK_API_KEY';

type Settings = { baseUrl?: string; model?: string; apiKey?: string };

const CONSTRUCTORS: Record<Exclude<Backend, 'tei'>, (settings: Settings) => ApiReranker> = {
  cohere: (s) => new CohereReranker(s),
  jina: (s) => new JinaReranker(s),
  voyage: (s) => new VoyageReranker(s),
  mixedbread: (s) => new MixedbreadReranker(s),
};

/**
 * Builds the reranker the command line asks for. Throws `UsageError` for a combination that cannot
 * work, and core's `MissingApiKeyError` when a hosted API has no key in its environment variable.
 */
export function createApiReranker(
  args: Pick<ApiArgs, 'backend' | 'baseUrl' | 'model'>,
  env: NodeJS.ProcessEnv = process.env,
): ApiReranker {
  const { backend, baseUrl, model } = args;
  const apiKey = baseUrl !== undefined ? env[SELF_HOSTED_KEY_ENV] || undefined : undefined;
  if (backend === 'tei') {
    if (baseUrl === undefined) {
      throw new UsageError('--backend tei needs --base-url: TEI is self-hosted, e.g. --base-url http://localhost:8080.');
    }
    if (model !== undefined) {
      throw new UsageError('TEI serves the model it was started with (--model-id on the server): leave out --model.');
    }
    // Without RERANK_API_KEY, TeiReranker falls back to TEI_API_KEY (TEI is always self-hosted).
    return new TeiReranker({ baseUrl, ...(apiKey !== undefined && { apiKey }) });
  }
  return CONSTRUCTORS[backend]({
    ...(baseUrl !== undefined && { baseUrl }),
    ...(model !== undefined && { model }),
    ...(apiKey !== undefined && { apiKey }),
  });
}

/** "Cohere rerank-v3.5 at https://api.cohere.com", for the output's header. */
export function describeReranker(reranker: ApiReranker): string {
  return `${reranker.provider}${reranker.model ? ` ${reranker.model}` : ''} at ${reranker.baseUrl}`;
}
