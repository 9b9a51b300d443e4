import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { quantizeModelBytes, type QuantizeOptions } from '@crossrank/testing';
import { onnx } from './onnx.js';

/**
 * The int8 format the benchmark's q8 variant loads: ONNX Runtime's fused int8 attention (QAttention:
 * Q, K, V packed into one int8 matrix, input quantized once) and DynamicQuantizeMatMul for the other
 * weights, as `onnxruntime.transformers` optimizer + `quantize_dynamic` write them. The `unfused`
 * format is `createTestCrossEncoder`'s default, one DynamicQuantizeMatMul per weight with attention
 * left as MatMul/Softmax/Transpose nodes (the layout of the Hub's `model_quantized.onnx` exports,
 * after ORT's own load-time fusions). Both give the same logits (measured: bit-identical).
 *
 * Residual Add + LayerNorm stay as they are (ORT fuses them into LayerNormalization), not
 * SkipLayerNormalization: onnxruntime-node 1.30's SkipLayerNormalization kernel rounds differently
 * from its LayerNormalization kernel (on the same inputs most outputs differ in the last bits), and
 * the next layer's dynamic u8 quantization turns such last-bit changes into whole quantization steps,
 * so the fused graph would no longer score like the unfused one (logits up to about 0.02 apart on the
 * tiny model). It is also not faster there (about 0.92x, miniLM shape).
 */
export const FUSED_Q8: QuantizeOptions = { fuseAttention: true };

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
