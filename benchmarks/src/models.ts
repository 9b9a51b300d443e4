import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { quantizeModelBytes, type QuantizeOptions } from '@crossrank/testing';
import { onnx } from './onnx.js';

/**
 * The int8 format the benchmark's q8 variant loads: ONNX Runtime's fused BERT operators (QAttention,
 * DynamicQuantizeMatMul, SkipLayerNormalization), what `onnxruntime.transformers` optimizer +
 * `quantize_dynamic` write. The `unfused` format is `createTestCrossEncoder`'s default, one
 * DynamicQuantizeMatMul per weight with attention left as MatMul/Softmax/Transpose nodes (the layout of
 * the Hub's `model_quantized.onnx` exports, after ORT's own load-time fusions).
 */
export const FUSED_Q8: QuantizeOptions = { fuseAttention: true, fuseSkipLayerNorm: true };

const MARKER = 'crossrank-bench-q8.json';
const FOLDER_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'];

/**
 * A sibling folder of `modelDir` holding its tokenizer and config plus `onnx/model_quantized.onnx`
 * quantized from its fp32 model in the fused format. Rebuilt when the fp32 model changes.
 */
export function fusedQ8Folder(modelDir: string): string {
  const target = `${modelDir}-q8-fused`;
  const fp32 = path.join(modelDir, 'onnx', 'model.onnx');
  const source = statSync(fp32);
  const marker = JSON.stringify({ size: source.size, mtimeMs: source.mtimeMs, options: FUSED_Q8 });
  const markerFile = path.join(target, MARKER);
  if (existsSync(markerFile) && readFileSync(markerFile, 'utf8') === marker) return target;
  mkdirSync(path.join(target, 'onnx'), { recursive: true });
  for (const file of FOLDER_FILES) if (existsSync(path.join(modelDir, file))) copyFileSync(path.join(modelDir, file), path.join(target, file));
  const staging = path.join(target, 'onnx', `model_quantized.onnx.tmp-${process.pid}`);
  writeFileSync(staging, quantizeModelBytes(readFileSync(fp32), FUSED_Q8));
  renameSync(staging, path.join(target, 'onnx', 'model_quantized.onnx'));
  writeFileSync(markerFile, marker);
  return target;
}

/** How many nodes of each operator an ONNX file holds (before ONNX Runtime's own fusions). */
export function opCounts(file: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of onnx.ModelProto.decode(readFileSync(file)).graph?.node ?? []) counts[node.opType as string] = (counts[node.opType as string] ?? 0) + 1;
  return counts;
}
