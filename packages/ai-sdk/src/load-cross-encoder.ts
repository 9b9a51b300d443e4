// The only file that loads the local engine. It is imported lazily, on the first doRerank of a
// local model, so wrapping an API reranker never loads ONNX Runtime. When the engine moves to its
// own package (@crossrank/onnx, an optional peer), ENGINE_PACKAGE and the import below change here.
import type { CrossEncoder, CrossEncoderLoadOptions } from '@crossrank/core';
import { CrossrankEngineMissingError } from './errors.js';

// The engine's types, for the rest of this package: they move with the engine, so only this file names it.
export type { CrossEncoder, CrossEncoderLoadOptions };

/** The package that holds `CrossEncoder`. */
export const ENGINE_PACKAGE = '@crossrank/core';

type EngineModule = { CrossEncoder: typeof CrossEncoder };

/** Loads a `CrossEncoder` from a hub id or folder; a missing engine is a typed error, not a bare import failure. */
export async function loadCrossEncoder(
  modelId: string,
  options: CrossEncoderLoadOptions,
  importEngine: () => Promise<EngineModule> = () => import('@crossrank/core'),
): Promise<CrossEncoder> {
  let engine: EngineModule;
  try {
    engine = await importEngine();
  } catch (error) {
    if (isEngineNotFound(error)) throw new CrossrankEngineMissingError(ENGINE_PACKAGE, modelId, { cause: error });
    throw error;
  }
  return engine.CrossEncoder.load(modelId, options);
}

// Only the engine itself being absent gets the install advice; a dependency missing inside an
// installed engine is a broken install and keeps its own message.
function isEngineNotFound(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${ENGINE_PACKAGE}'`)
  );
}
