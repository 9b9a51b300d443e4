import { InvalidInputError } from '@crossrank/core';
import { ApiReranker, type BatchRequest } from './api-reranker.js';
import { checkOptionsObject, nonEmptyString, resolveApiKey, resolveApiSettings, resolveBaseUrl, type ApiRerankerOptions } from './options.js';
import { readScoredItems, type ScoredItem } from './response.js';

/** Where `HuggingFaceReranker({ model })` sends requests: `${HUGGING_FACE_ROUTER_URL}/<hub id>`. */
export const HUGGING_FACE_ROUTER_URL = 'https://router.huggingface.co/hf-inference/models';

export interface HuggingFaceRerankerOptions extends ApiRerankerOptions {
  /**
   * A text-ranking model on Hugging Face Inference, e.g. `BAAI/bge-reranker-v2-m3`: requests go to
   * `https://router.huggingface.co/hf-inference/models/<model>`. Give this or `endpointUrl`.
   */
  model?: string;
  /**
   * A dedicated Inference Endpoint (or any server with the same shape): the full URL requests are
   * POSTed to, e.g. `https://xyz.us-east-1.aws.endpoints.huggingface.cloud`. Give this or `model`.
   */
  endpointUrl?: string;
  /** Default: `HF_TOKEN` (read only for Hugging Face's own hosts). Required for the router. */
  apiKey?: string;
  /** Texts per request. Default 32, TEI's default `--max-client-batch-size` (what serves the task). */
  batchSize?: number;
}

/**
 * Hugging Face Inference's text-ranking task (the router's `hf-inference` provider, or a dedicated
 * Inference Endpoint, both backed by text-embeddings-inference): `{inputs: {query, texts}}` in, a
 * bare `[{index, score}]` array out, scores already through the model's sigmoid. Like TEI there is
 * no `top_n`: every text is scored and `topN` is applied here.
 *
 * @example
 * const hf = new HuggingFaceReranker({ model: 'BAAI/bge-reranker-v2-m3' }); // reads HF_TOKEN
 * const top = await hf.rerank('capital of France?', passages, { topN: 3 });
 */
export class HuggingFaceReranker extends ApiReranker {
  readonly #url: string;

  constructor(options: HuggingFaceRerankerOptions) {
    const className = 'HuggingFaceReranker';
    checkOptionsObject(className, options, ['apiKey', 'model', 'endpointUrl', 'batchSize'] satisfies Array<keyof HuggingFaceRerankerOptions>);
    const { model, endpointUrl } = options;
    if ((model === undefined) === (endpointUrl === undefined)) {
      throw new InvalidInputError(
        `${className}: pass exactly one of options.model (a hub id, served by the Hugging Face router) or options.endpointUrl (a dedicated endpoint), e.g. new HuggingFaceReranker({ model: "BAAI/bge-reranker-v2-m3" }).`,
      );
    }
    const url = endpointUrl === undefined ? `${HUGGING_FACE_ROUTER_URL}/${hubId(className, model)}` : resolveBaseUrl(className, endpointUrl);
    const hosted = isHuggingFaceHost(url);
    super({
      provider: 'Hugging Face',
      model: model as string | undefined,
      baseUrl: url,
      settings: resolveApiSettings(className, options, { batchSize: 32 }),
      apiKey: resolveApiKey({ provider: 'Hugging Face', className, apiKey: options.apiKey, envVars: ['HF_TOKEN'], useEnv: hosted, required: endpointUrl === undefined }),
    });
    this.#url = url;
  }

  protected async requestBatch(request: BatchRequest): Promise<ScoredItem[]> {
    const body = await this.post(this.#url, request, { inputs: { query: request.query, texts: request.documents } } satisfies HuggingFaceTextRankingRequest);
    return readScoredItems(body, {
      provider: this.provider,
      listKey: null,
      scoreKey: 'score',
      batchLength: request.documents.length,
      // No top_n on the wire: every text must come back scored.
      minResults: request.documents.length,
    });
  }
}

interface HuggingFaceTextRankingRequest {
  inputs: { query: string; texts: string[] };
}

/** A hub id is `name` or `owner/name`; anything else would build a wrong router URL. */
function hubId(className: string, model: unknown): string {
  const id = nonEmptyString(className, 'model', model, '');
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(id)) {
    throw new InvalidInputError(`${className}: options.model must be a hub id like "BAAI/bge-reranker-v2-m3", got ${JSON.stringify(id)}.`);
  }
  return id;
}

/** `HF_TOKEN` goes only to Hugging Face: the router and dedicated endpoints (`*.huggingface.cloud`). */
function isHuggingFaceHost(url: string): boolean {
  const { hostname, protocol } = new URL(url);
  return protocol === 'https:' && (hostname === 'router.huggingface.co' || hostname.endsWith('.endpoints.huggingface.cloud'));
}
