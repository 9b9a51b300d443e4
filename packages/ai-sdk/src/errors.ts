import { CrossrankError } from '@crossrank/core';

/**
 * A model id or folder was given but the local engine is not installed. Thrown by the first
 * `doRerank` of a local model, so an app that only wraps API rerankers never needs the engine.
 */
export class CrossrankEngineMissingError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_ENGINE_MISSING';
  /** The package that was imported. */
  readonly packageName: string;

  constructor(packageName: string, modelId: string, options?: { cause?: unknown }) {
    super(
      `crossrank.rerankingModel(${JSON.stringify(modelId)}) needs the local engine: install ${packageName} (npm install ${packageName}), ` +
        'or pass a reranker with crossrank.fromReranker(reranker) (an API backend or FallbackReranker).',
      options,
    );
    this.name = 'CrossrankEngineMissingError';
    this.packageName = packageName;
  }
}
