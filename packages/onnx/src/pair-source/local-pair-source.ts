import type { ModelLocation } from '../model-loader.js';
import type { EncodedPair } from '../pair-encoder.js';
import { throwIfAborted } from '../ranking.js';
import type { EncodeRequest, EncoderInfo, WindowPlan } from './encode-request.js';
import { ModelEncoder, type EncoderOptions } from './model-encoder.js';
import type { PairSource } from './pair-source.js';

/** Pairs tokenized between checks of the clock. */
const ENCODE_STEP = 8;
/** After this long a request yields to the event loop (and checks its signal). */
const ENCODE_SLICE_MS = 8;

/**
 * Tokenizing on the calling thread (`workers: 0`): in slices of `ENCODE_SLICE_MS`, yielding to the
 * event loop between them and honouring `signal`, so a request of many long documents neither
 * blocks other work nor delays an abort until all of it is tokenized.
 */
export class LocalPairSource implements PairSource {
  readonly info: EncoderInfo;
  readonly encoder: ModelEncoder;

  private constructor(encoder: ModelEncoder) {
    this.encoder = encoder;
    this.info = encoder.info;
  }

  static async open(location: ModelLocation, options: EncoderOptions): Promise<LocalPairSource> {
    return new LocalPairSource(await ModelEncoder.open(location, options));
  }

  async encode(request: EncodeRequest, signal?: AbortSignal): Promise<EncodedPair[]> {
    const items = this.encoder.begin(request);
    const encoded: EncodedPair[] = [];
    let sliceStarted = performance.now();
    for (let at = 0; at < items.count; at += ENCODE_STEP) {
      for (const pair of items.encode(at, Math.min(items.count, at + ENCODE_STEP))) encoded.push(pair);
      if (at + ENCODE_STEP < items.count && performance.now() - sliceStarted > ENCODE_SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        throwIfAborted(signal);
        sliceStarted = performance.now();
      }
    }
    return encoded;
  }

  async planWindows(query: string, documents: readonly string[], signal?: AbortSignal): Promise<WindowPlan> {
    throwIfAborted(signal);
    return this.encoder.planWindows(query, documents);
  }

  async dispose(): Promise<void> {}
}
