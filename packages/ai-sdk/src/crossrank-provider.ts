import { NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider';
import { checkKnownKeys, InvalidInputError, type Reranker } from '@crossrank/core';
import {
  checkLoadOptions,
  checkModelOptions,
  describeValue,
  type CrossrankRerankingModelId,
  type CrossrankRerankingModelOptions,
} from './crossrank-reranking-model-options.js';
import { CrossrankRerankingModel } from './crossrank-reranking-model.js';
import { LazyCrossEncoder } from './lazy-cross-encoder.js';
import { loadCrossEncoder, type CrossEncoderLoadOptions } from './load-cross-encoder.js';

/** Settings shared by every model a provider makes. */
export interface CrossrankProviderSettings {
  /** Load options every local model starts from (e.g. `{ cacheDir, localFilesOnly: true }`); a model's own options win. */
  loadOptions?: CrossrankRerankingModelOptions;
}

/** How `fromReranker` names the model in telemetry and `rerank()` results. */
export interface CrossrankFromRerankerOptions {
  /** Default: the backend's `model`, else the local model's id, else the class name. */
  modelId?: string;
  /** Default: `'crossrank.<backend>'` (`crossrank.cohere`, `crossrank.tei`, `crossrank.fallback`, ...). */
  provider?: string;
}

/** The crossrank provider: reranking models only. */
export interface CrossrankProvider extends ProviderV4 {
  /** Same as `rerankingModel`. */
  (modelId: CrossrankRerankingModelId, options?: CrossrankRerankingModelOptions): CrossrankRerankingModel;
  /**
   * A local cross-encoder from a Hugging Face hub id or a model folder, loaded on the first `rerank()`
   * (once, even when the first calls race; a failed load is retried by the next call).
   */
  rerankingModel(modelId: CrossrankRerankingModelId, options?: CrossrankRerankingModelOptions): CrossrankRerankingModel;
  /** Any crossrank `Reranker` (an API backend, a `FallbackReranker`, a loaded `CrossEncoder`) as a reranking model. */
  fromReranker(reranker: Reranker, options?: CrossrankFromRerankerOptions): CrossrankRerankingModel;
}

/**
 * Creates a crossrank provider for the AI SDK's `rerank()`.
 *
 * @example
 * ```ts
 * import { rerank } from 'ai';
 * import { createCrossrank } from '@crossrank/ai-sdk';
 * const crossrank = createCrossrank({ loadOptions: { localFilesOnly: true } });
 * const model = crossrank.rerankingModel('Xenova/ms-marco-MiniLM-L-6-v2', { dtype: 'q8' });
 * const { rerankedDocuments } = await rerank({ model, query, documents, topN: 3 });
 * ```
 */
export function createCrossrank(settings: CrossrankProviderSettings = {}): CrossrankProvider {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new InvalidInputError(`createCrossrank settings must be an object like { loadOptions: { dtype: 'q8' } }, got ${describeValue(settings)}.`);
  }
  checkKnownKeys(settings, ['loadOptions'] satisfies Array<keyof CrossrankProviderSettings>, 'createCrossrank settings');
  checkLoadOptions('createCrossrank settings.loadOptions', settings.loadOptions);
  const shared: CrossEncoderLoadOptions = { ...settings.loadOptions };

  const rerankingModel = (modelId: CrossrankRerankingModelId, options?: CrossrankRerankingModelOptions): CrossrankRerankingModel => {
    checkModelOptions(modelId, options);
    // Copied now: the caller may change its object later; this model keeps what it was made with.
    const loadOptions: CrossEncoderLoadOptions = { ...shared, ...options };
    const lazy = new LazyCrossEncoder(() => loadCrossEncoder(modelId, loadOptions));
    return new CrossrankRerankingModel(modelId, {
      provider: 'crossrank.onnx',
      reranker: (signal) => lazy.load(signal),
      dtype: () => lazy.current?.info.dtype ?? loadOptions.dtype ?? 'fp32',
      local: true,
      dispose: () => lazy.dispose(),
    });
  };

  const fromReranker = (reranker: Reranker, options: CrossrankFromRerankerOptions = {}): CrossrankRerankingModel => {
    if (reranker === null || typeof reranker !== 'object' || typeof (reranker as Partial<Reranker>).rerank !== 'function') {
      throw new InvalidInputError(
        `crossrank.fromReranker needs a Reranker (an object with a rerank method, e.g. new CohereReranker()), got ${describeValue(reranker)}.`,
      );
    }
    if (options === null || typeof options !== 'object') {
      throw new InvalidInputError(`crossrank.fromReranker options must be an object like { modelId: 'my-reranker' }, got ${describeValue(options)}.`);
    }
    checkKnownKeys(options, ['modelId', 'provider'] satisfies Array<keyof CrossrankFromRerankerOptions>, 'crossrank.fromReranker options');
    for (const name of ['modelId', 'provider'] as const) {
      if (options[name] !== undefined && (typeof options[name] !== 'string' || options[name] === '')) {
        throw new InvalidInputError(`crossrank.fromReranker options.${name} must be a non-empty string, got ${describeValue(options[name])}.`);
      }
    }
    const facts = describeReranker(reranker);
    return new CrossrankRerankingModel(options.modelId ?? facts.modelId, {
      provider: options.provider ?? facts.provider,
      reranker: () => Promise.resolve(reranker),
      dtype: () => facts.dtype,
      local: facts.local,
      url: facts.url,
    });
  };

  const noSuchModel = (modelType: 'languageModel' | 'embeddingModel' | 'imageModel') => (modelId: string): never => {
    throw new NoSuchModelError({
      modelId,
      modelType,
      message: `crossrank only makes reranking models (crossrank.rerankingModel(...)); it has no ${modelType} ${JSON.stringify(modelId)}.`,
    });
  };

  const provider = Object.assign(rerankingModel, {
    specificationVersion: 'v4' as const,
    rerankingModel,
    fromReranker,
    languageModel: noSuchModel('languageModel'),
    embeddingModel: noSuchModel('embeddingModel'),
    imageModel: noSuchModel('imageModel'),
  });
  return provider as CrossrankProvider;
}

/** The default provider: `crossrank.rerankingModel('Xenova/ms-marco-MiniLM-L-6-v2', { dtype: 'q8' })`. */
export const crossrank: CrossrankProvider = createCrossrank();

interface RerankerFacts {
  modelId: string;
  provider: string;
  dtype: string | null;
  local: boolean;
  url: string | undefined;
}

// Duck-typed so a reranker from another installed copy of crossrank is named as well.
function describeReranker(reranker: Reranker): RerankerFacts {
  const r = reranker as unknown as Record<string, unknown>;
  const info = r.info as { model?: unknown; dtype?: unknown } | undefined;
  const className = reranker.constructor?.name || 'Reranker';
  if (info && typeof info.model === 'string') {
    return { modelId: info.model, provider: 'crossrank.onnx', dtype: typeof info.dtype === 'string' ? info.dtype : null, local: true, url: undefined };
  }
  if (typeof r.provider === 'string') {
    return {
      modelId: typeof r.model === 'string' ? r.model : className,
      provider: `crossrank.${r.provider.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      dtype: null,
      local: false,
      url: typeof r.baseUrl === 'string' ? r.baseUrl : undefined,
    };
  }
  if (Array.isArray(r.rerankers)) return { modelId: className, provider: 'crossrank.fallback', dtype: null, local: false, url: undefined };
  return { modelId: className, provider: 'crossrank.custom', dtype: null, local: false, url: undefined };
}
