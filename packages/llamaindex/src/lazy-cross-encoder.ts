import { DisposedError, type Reranker, type RerankOptions, type RerankResult } from '@crossrank/core';
import type { CrossEncoder, CrossEncoderLoadOptions } from '@crossrank/onnx';
import { loadCrossEncoder } from './load-cross-encoder.js';

/**
 * A `Reranker` that loads its `CrossEncoder` on the first call, once: constructing a postprocessor
 * (often at import time, next to the index) then costs nothing, and concurrent first queries share
 * one load. A failed load is not cached, so a later query retries it (e.g. after a network error).
 */
export class LazyCrossEncoder implements Reranker {
  private loading: Promise<CrossEncoder> | undefined;
  private disposed = false;

  constructor(
    private readonly model: string,
    private readonly options: CrossEncoderLoadOptions = {},
  ) {}

  load(): Promise<CrossEncoder> {
    if (this.disposed) {
      return Promise.reject(new DisposedError('This CrossEncoderRerank was disposed; create a new one to rerank again.'));
    }
    if (!this.loading) {
      this.loading = loadCrossEncoder('CrossEncoderRerank', this.model, this.options);
      this.loading.catch(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  async rerank(query: string, documents: readonly string[], options?: RerankOptions): Promise<RerankResult[]> {
    const encoder = await this.load();
    return encoder.rerank(query, documents, options);
  }

  /** Releases the model if it was loaded; a load still under way is released when it settles. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const loading = this.loading;
    if (!loading) return;
    const encoder = await loading.catch(() => undefined);
    await encoder?.dispose();
  }
}
