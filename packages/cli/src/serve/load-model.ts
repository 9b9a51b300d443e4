import { CrossEncoder } from '@crossrank/onnx';
import type { ServeLoader } from './serve-command.js';

/** The model `crossrank serve` serves: a CrossEncoder with its worker threads (the engine's default). */
export const loadServeModel: ServeLoader = async (args) => {
  const encoder = await CrossEncoder.load(args.model, {
    dtype: args.dtype,
    threads: args.threads,
    cacheDir: args.cacheDir,
    localFilesOnly: args.localFilesOnly || undefined,
  });
  // An identity activation (ms-marco-MiniLM's config) gives raw logits: the server maps them into [0, 1].
  return { reranker: encoder, dispose: () => encoder.dispose(), rawScores: encoder.info.activation === 'identity' };
};
