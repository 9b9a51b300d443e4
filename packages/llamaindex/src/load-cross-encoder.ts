import { isPackageNotFound, MissingPackageError } from '@crossrank/core';
import type { CrossEncoder, CrossEncoderLoadOptions } from '@crossrank/onnx';

const ONNX = '@crossrank/onnx';
// Set by tsup per output format (tsup.config.ts); undefined when the source runs as is (ts-jest).
declare const __CROSSRANK_CJS__: boolean | undefined;

/**
 * Loads a `CrossEncoder` from @crossrank/onnx, an optional peer: it is imported here, on the first
 * call that needs a local model, so an app that only passes `reranker` never installs or loads
 * ONNX Runtime. When it is missing, says what to install or pass instead.
 */
export async function loadCrossEncoder(owner: string, model: string, options: CrossEncoderLoadOptions | undefined): Promise<CrossEncoder> {
  let onnx: typeof import('@crossrank/onnx');
  try {
    // The CommonJS build requires the package: import() would load its ESM build, and with it the ESM
    // build of @crossrank/core, so a CommonJS app would get error classes it cannot `instanceof`.
    onnx = typeof __CROSSRANK_CJS__ !== 'undefined' && __CROSSRANK_CJS__ ? (require('@crossrank/onnx') as typeof import('@crossrank/onnx')) : await import('@crossrank/onnx');
  } catch (error) {
    if (!isPackageNotFound(error, ONNX)) throw error;
    throw new MissingPackageError(
      ONNX,
      `${owner}: model '${model}' runs a local cross-encoder, which needs ${ONNX}: install it (npm install ${ONNX}), or pass a reranker instead (reranker: any Reranker, e.g. an API reranker from @crossrank/api).`,
      { cause: error },
    );
  }
  return onnx.CrossEncoder.load(model, options);
}
