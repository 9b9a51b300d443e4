import { openOnnxSession, type ModelLocation } from '../model-loader.js';
import type { CrossEncoderLoadOptions } from '../options.js';
import { CausalLmSession, type KvShape, type LogitScoring } from './causal-session.js';

/** What a thread needs, besides the model's location and the load options, to open a causal-LM reranker's session. */
export interface CausalSessionSpec {
  scoring: LogitScoring;
  kv: KvShape;
}

/** The key/value cache shape config.json declares (for graphs whose past inputs have symbolic dims). */
export function kvShape(config: Readonly<Record<string, unknown>>): KvShape {
  const text = (config['text_config'] as Record<string, unknown> | undefined) ?? config;
  const heads = (text['num_key_value_heads'] ?? text['num_attention_heads']) as number | undefined;
  const hidden = text['hidden_size'] as number | undefined;
  const attention = text['num_attention_heads'] as number | undefined;
  const headDim = (text['head_dim'] as number | undefined) ?? (hidden && attention ? hidden / attention : undefined);
  return { heads: Number.isInteger(heads) ? heads : undefined, headDim: Number.isInteger(headDim) ? headDim : undefined };
}

/**
 * Opens a causal-LM reranker's ONNX file (`location.modelFile`) in this thread: the calling thread
 * with `workers: 0`, else a worker. `locateModel` already found or downloaded it (and its external
 * weights, `*.onnx_data`, which ONNX Runtime reads from the same folder); nothing is downloaded here.
 */
export async function loadCausalSession(location: ModelLocation, options: CrossEncoderLoadOptions, spec: CausalSessionSpec): Promise<CausalLmSession> {
  const { session, Tensor } = await openOnnxSession(location, options);
  try {
    return new CausalLmSession(session, Tensor, spec.scoring, spec.kv);
  } catch (error) {
    await session.release();
    throw error;
  }
}
