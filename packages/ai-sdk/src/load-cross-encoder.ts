// The only file that loads the local engine (@crossrank/onnx, an optional peer). It is imported
// lazily, on the first doRerank of a local model, so wrapping an API reranker never loads ONNX Runtime.
import { isPackageNotFound, MissingPackageError } from '@crossrank/core';
import type { CrossEncoder, CrossEncoderLoadOptions } from '@crossrank/onnx';

// The engine's types, for the rest of this package: they move with the engine, so only this file names it.
export type { CrossEncoder, CrossEncoderLoadOptions };

/** The package that holds `CrossEncoder`. */
export const ENGINE_PACKAGE = '@crossrank/onnx';

type EngineModule = { CrossEncoder: typeof CrossEncoder };

/** Loads a `CrossEncoder` from a hub id or folder; a missing engine is a typed error, not a bare import failure. */
export async function loadCrossEncoder(
  modelId: string,
  options: CrossEncoderLoadOptions,
  importEngine: () => Promise<EngineModule> = () => import('@crossrank/onnx'),
): Promise<CrossEncoder> {
  let engine: EngineModule;
  try {
    engine = await importEngine();
  } catch (error) {
    // Only the engine itself being absent gets the install advice; a dependency missing inside an
    // installed engine is a broken install and keeps its own message.
    if (!isPackageNotFound(error, ENGINE_PACKAGE)) throw error;
    throw new MissingPackageError(
      ENGINE_PACKAGE,
      `crossrank.rerankingModel(${JSON.stringify(modelId)}) needs the local engine: install ${ENGINE_PACKAGE} (npm install ${ENGINE_PACKAGE}), ` +
        'or pass a reranker with crossrank.fromReranker(reranker) (an API backend or FallbackReranker).',
      { cause: error },
    );
  }
  return engine.CrossEncoder.load(modelId, options);
}
