import { InferenceSession } from 'onnxruntime-node';
import { ModelFormatError } from '../errors.js';
import { sessionOptions } from '../model-loader.js';
import { modelFileName, type ModelSource } from '../model-source.js';
import type { CrossEncoderDtype, CrossEncoderLoadOptions } from '../options.js';
import { CausalLmSession, type KvShape, type LogitScoring } from './causal-session.js';
import { ModelFiles } from './model-files.js';

/** What a thread needs, besides the load options, to open a causal-LM reranker's session. */
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
 * Opens `onnx/model{_dtype}.onnx` of a causal-LM reranker (downloading it, and its external
 * weights `*.onnx_data` when the export has them, for a hub model) in the calling thread.
 */
export async function loadCausalSession(source: ModelSource, options: CrossEncoderLoadOptions, dtype: CrossEncoderDtype, spec: CausalSessionSpec): Promise<CausalLmSession> {
  const files = new ModelFiles(source, options);
  const file = `onnx/${modelFileName(dtype)}`;
  const at = await files.required(file, `the ONNX export for dtype "${dtype}"`);
  // Exports over 2 GB keep their weights beside the graph; ONNX Runtime reads them from the same folder.
  if (source.kind === 'hub') await files.path(`${file}_data`);
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(at, { executionProviders: ['cpu'], logSeverityLevel: 3, ...sessionOptions(options) } as InferenceSession.SessionOptions);
  } catch (error) {
    throw new ModelFormatError(`Could not load ${files.describe(file)}: ${error instanceof Error ? error.message : String(error)}. The file may be corrupt or not an ONNX model; re-export or re-download it.`, { cause: error });
  }
  try {
    return new CausalLmSession(session, spec.scoring, spec.kv);
  } catch (error) {
    await session.release();
    throw error;
  }
}
