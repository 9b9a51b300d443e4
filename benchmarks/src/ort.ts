import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface OrtTensor {
  dims: readonly number[];
  data: ArrayLike<number | bigint> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
  type: string;
}

export interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

export interface OrtModule {
  InferenceSession: {
    create(model: Uint8Array | string, options?: Record<string, unknown>): Promise<OrtSession>;
    prototype: { run: (...args: unknown[]) => Promise<unknown> };
  };
  Tensor: new (type: string, data: ArrayLike<number> | Float32Array | BigInt64Array, dims: readonly number[]) => unknown;
}

/**
 * The onnxruntime-node that @huggingface/transformers runs, checked to be the very same copy: two
 * copies in one process would fight over the native library, and the probe would see no runs.
 */
export function loadOrt(): OrtModule {
  const require = createRequire(import.meta.url);
  const ours = realpathSync(require.resolve('onnxruntime-node'));
  const theirs = realpathSync(createRequire(require.resolve('@huggingface/transformers')).resolve('onnxruntime-node'));
  if (ours !== theirs) {
    throw new Error(`The benchmark resolves onnxruntime-node at ${ours} but @huggingface/transformers uses ${theirs}; pin the same version.`);
  }
  return require('onnxruntime-node') as OrtModule;
}
