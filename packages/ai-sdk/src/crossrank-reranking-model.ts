import type { RerankingModelV4, RerankingModelV4CallOptions, RerankingModelV4Result, SharedV4Warning } from '@ai-sdk/provider';
import type { Reranker, RerankOptions } from '@crossrank/core';
import { toRanking } from './check-ranking.js';
import { parseCrossrankProviderOptions } from './crossrank-reranking-model-options.js';
import { documentTexts } from './document-texts.js';
import { mapCrossrankError } from './map-crossrank-error.js';

/** What a `CrossrankRerankingModel` calls; built by `createCrossrank`. */
export interface CrossrankRerankingModelConfig {
  /** `'crossrank.onnx'` for a local model, `'crossrank.<backend>'` for a wrapped reranker. */
  provider: string;
  /** The reranker to call; a local model is loaded on the first call (an abort stops the wait, not the load). */
  reranker: (signal: AbortSignal | undefined) => Promise<Reranker>;
  /** The weights in use (`'fp32'`, `'q8'`, ...), once known; `null` for rerankers that are not a local model. */
  dtype: () => string | null;
  /** A local model sends no HTTP request, so `headers` gets an `unsupported` warning. */
  local: boolean;
  /** Where an API reranker sends its requests (reported as `APICallError.url`). */
  url?: string;
  /** Releases what the model owns (a loaded local model); wrapped rerankers stay the caller's. */
  dispose?: () => Promise<void>;
}

/**
 * A crossrank `Reranker` (the local `CrossEncoder`, an API backend, a `FallbackReranker`) as an AI SDK
 * reranking model (`RerankingModelV4`), for `rerank()` from `ai`. Build one with `crossrank.rerankingModel(...)`
 * or `crossrank.fromReranker(...)`.
 */
export class CrossrankRerankingModel implements RerankingModelV4 {
  readonly specificationVersion = 'v4';
  readonly modelId: string;
  private readonly config: CrossrankRerankingModelConfig;

  constructor(modelId: string, config: CrossrankRerankingModelConfig) {
    this.modelId = modelId;
    this.config = config;
  }

  get provider(): string {
    return this.config.provider;
  }

  /** Called by `rerank()` from `ai`; call that instead. */
  async doRerank({ documents, query, topN, abortSignal, providerOptions, headers }: RerankingModelV4CallOptions): Promise<RerankingModelV4Result> {
    const options = parseCrossrankProviderOptions(providerOptions);
    const { texts, warnings } = documentTexts(documents, options.fields);
    if (this.config.local && headers && Object.keys(headers).length > 0) {
      warnings.push(headersWarning());
    }
    try {
      if (abortSignal?.aborted) throw abortSignal.reason;
      const loadStarted = performance.now();
      const reranker = await this.config.reranker(abortSignal);
      const loadMs = performance.now() - loadStarted;
      const scoreStarted = performance.now();
      // `instruction` goes only to a call that set it: rerankers without instructions never see the key.
      const rerankOptions: RerankOptions & { instruction?: string } = {
        topN,
        scoreThreshold: options.scoreThreshold,
        signal: abortSignal,
        ...(options.instruction !== undefined ? { instruction: options.instruction } : {}),
      };
      const results = await reranker.rerank(query, texts, rerankOptions);
      const scoreMs = performance.now() - scoreStarted;
      return {
        ranking: toRanking(results, texts.length, topN),
        warnings,
        providerMetadata: {
          crossrank: {
            model: this.modelId,
            dtype: this.config.dtype(),
            documents: texts.length,
            loadMs: roundMs(loadMs),
            scoreMs: roundMs(scoreMs),
          },
        },
      };
    } catch (error) {
      throw mapCrossrankError(error, { signal: abortSignal, url: this.config.url });
    }
  }

  /**
   * Releases a loaded local model (ONNX Runtime memory); later calls throw `DisposedError`. A model
   * made by `fromReranker` leaves the reranker alone: it stays the caller's to dispose.
   */
  async dispose(): Promise<void> {
    await this.config.dispose?.();
  }
}

function headersWarning(): SharedV4Warning {
  return { type: 'unsupported', feature: 'headers', details: 'A local model sends no HTTP request, so headers are ignored.' };
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
