import type { EncodedPair } from '../pair-encoder.js';
import type { EncodeRequest, EncoderInfo, WindowPlan } from './encode-request.js';

/**
 * Where a call's texts become token ids: the calling thread (`LocalPairSource`, `workers: 0`) or
 * the encoder thread (`ThreadPairSource`), so that with workers the calling thread neither parses
 * the tokenizer nor tokenizes. Both run the same `ModelEncoder`, so the ids are the same.
 */
export interface PairSource {
  readonly info: EncoderInfo;
  /** Every item of `request`, encoded, in input order. Rejects with `RerankAbortedError` once `signal` fires. */
  encode(request: EncodeRequest, signal?: AbortSignal): Promise<EncodedPair[]>;
  planWindows(query: string, documents: readonly string[], signal?: AbortSignal): Promise<WindowPlan>;
  dispose(): Promise<void>;
}
