import type { CrossEncoder, CrossEncoderLoadOptions } from '@crossrank/onnx';
import { loadCrossEncoder } from './load-cross-encoder.js';

/**
 * Loads a `CrossEncoder` on first use and hands every caller the same instance. Calls that race
 * before the load finishes share one load. A failed load is forgotten, so a later call can retry
 * (e.g. after the network or the folder is fixed) instead of failing forever.
 */
export class LazyModel {
  private loading: Promise<CrossEncoder> | undefined;

  constructor(
    private readonly model: string,
    private readonly options: CrossEncoderLoadOptions | undefined,
  ) {}

  get(): Promise<CrossEncoder> {
    if (this.loading) return this.loading;
    const loading = loadCrossEncoder('CrossEncoderReranker', this.model, this.options);
    this.loading = loading;
    loading.catch(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    return loading;
  }

  /** Releases the model if it was loaded (waiting for a load in progress). Its owner refuses calls afterwards. */
  async dispose(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    if (!loading) return;
    const model = await loading.catch(() => undefined);
    await model?.dispose();
  }
}
