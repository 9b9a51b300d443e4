import { isPackageNotFound, MissingPackageError } from '@crossrank/core';
import type { CrossEncoder, CrossEncoderLoadOptions } from '@crossrank/onnx';

const ONNX = '@crossrank/onnx';

/**
 * Loads a `CrossEncoder` from @crossrank/onnx, an optional peer: it is imported here, on the first
 * call that needs a local model, so an app that only passes `reranker` never installs or loads
 * ONNX Runtime. When it is missing, says what to install or pass instead.
 */
export async function loadCrossEncoder(owner: string, model: string, options: CrossEncoderLoadOptions | undefined): Promise<CrossEncoder> {
  let onnx: typeof import('@crossrank/onnx');
  try {
    onnx = await import('@crossrank/onnx');
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
