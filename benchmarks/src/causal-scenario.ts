// `pnpm bench --only causal`: CPU latency of a causal-LM reranker of Qwen3-Reranker-0.6B's shape
// (generated weights), fp32 and q8, as exported and with the LM head on the last position only, each
// in its own process. Not part of a full `pnpm bench`: the
// model is 2.4 GB (fp32) and one 20-candidate query takes tens of seconds on 2 cores.
import { fork } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { createTestCrossEncoder, keepLastPositionFile, TEST_MODEL_SHAPES } from '@crossrank/testing';
import type { CausalChildResult, CausalChildSpec } from './causal-child.js';
import type { MachineInfo } from './result.js';
import { median, round } from './stats.js';
import type { Workload } from './workload.js';

/** Qwen3-Reranker-0.6B: 28 layers, hidden 1024, 16 query / 8 key-value heads of 128, 151,669-token vocabulary (tied LM head). */
const SHAPES = {
  'qwen3-0.6b': { ...TEST_MODEL_SHAPES.qwen3Reranker06B, vocabSize: 151_669 },
  // The smoke run's: seconds to generate and score (the tokenizer's own 50,270-row vocabulary).
  'qwen3-tiny': { layers: 2, hidden: 32, heads: 4, kvHeads: 2, headDim: 8, intermediate: 64, vocabSize: 50_270 },
} as const;
export type CausalShape = keyof typeof SHAPES;
/** No position table to size (rotary), so the tokenizer's limit only has to clear crossrank's 1024-token default maxLength, as Qwen3's 40,960 does. */
const MAX_POSITIONS = 8192;
/**
 * What is timed: the hub export's layout (logits for every position), and the same graphs rewritten by
 * keepLastPositionFile to run the LM head on the last position only (they share the weights file).
 */
const VARIANTS = [
  { id: 'fp32', dtype: 'fp32', graph: 'onnx/model.onnx', lastPosition: false },
  { id: 'q8', dtype: 'q8', graph: 'onnx/model_quantized.onnx', lastPosition: false },
  { id: 'fp32-last', dtype: 'fp32', graph: 'onnx/model_last.onnx', from: 'onnx/model.onnx', lastPosition: true },
  { id: 'q8-last', dtype: 'q8', graph: 'onnx/model_quantized_last.onnx', from: 'onnx/model_quantized.onnx', lastPosition: true },
] as const;

export interface CausalScenarioOptions {
  shape: CausalShape;
  modelDir: string;
  /** How the report names the model folder (relative to the repository). */
  modelDirLabel: string;
  childPath: string;
  workload: Workload;
  /** CrossEncoder.load options (besides dtype); empty for the engine's defaults. */
  engine: Record<string, unknown>;
  topN: number;
  machine: () => MachineInfo;
  log: (line: string) => void;
}

export interface CausalVariant {
  id: (typeof VARIANTS)[number]['id'];
  dtype: 'fp32' | 'q8';
  /** Whether the graph computes the LM head for the last position only (keepLastPositionFile). */
  lastPosition: boolean;
  /** The ONNX graph loaded (and its external data file, when it has one). */
  modelFile: string;
  /** Graph and external data together. */
  weightsMb: number;
  loadMs: number;
  /** Chosen by the engine (or --engine): workers, threads, batchSize, maxBatchTokens, maxLength. */
  engine: Record<string, unknown>;
  queryMs: number[];
  p50Ms: number;
  meanMs: number;
  pairsPerSecond: number;
  rssAfterLoadMb: number;
  peakRssMb: number;
}

export interface CausalResult {
  schema: 'crossrank-bench-causal/1';
  createdAt: string;
  durationS: number;
  machine: MachineInfo;
  model: { shape: CausalShape; dir: string; parameters: number; layers: number; hidden: number; heads: number; kvHeads: number; headDim: number; intermediate: number; vocabSize: number; randomWeights: true };
  workload: { source: 'dl19' | 'generated'; queries: number; candidatesPerQuery: number; topN: number };
  variants: CausalVariant[];
  notes: string[];
}

export async function runCausalScenario(options: CausalScenarioOptions): Promise<CausalResult> {
  const started = performance.now();
  const shape = SHAPES[options.shape];
  options.log(`preparing the ${options.shape} causal model in ${options.modelDir} (about a minute and 3.5 GB on disk for qwen3-0.6b)`);
  const model = await createTestCrossEncoder({ dir: options.modelDir, architecture: 'qwen3', ...shape, maxPositions: MAX_POSITIONS, quantized: true });
  const sets = options.workload.sets;
  const candidates = sets[0]?.docs.length ?? 0;
  const variants: CausalVariant[] = [];
  for (const variant of VARIANTS) {
    const file = path.join(model.dir, ...variant.graph.split('/'));
    const original = path.join(model.dir, ...('from' in variant ? variant.from : variant.graph).split('/'));
    if ('from' in variant) await keepLastPositionFile(original, file);
    options.log(`${variant.id}: loading ${variant.graph} and reranking ${sets.length} sets of ${candidates} in a fresh process`);
    // The rewritten graphs are picked by modelFile (their names say their dtype); the others by dtype, as users load them.
    const result = await runChild(options.childPath, { modelDir: model.dir, dtype: variant.dtype, ...('from' in variant ? { modelFile: variant.graph } : {}), options: options.engine, sets, topN: options.topN });
    if (result.info['dtype'] !== variant.dtype || result.info['modelFile'] !== variant.graph) {
      throw new Error(`${variant.id} loaded ${String(result.info['modelFile'])} as ${String(result.info['dtype'])}; expected ${variant.graph} as ${variant.dtype}.`);
    }
    const dataSize = statSize(`${original}_data`);
    const weights = (statSize(file) ?? 0) + (dataSize ?? 0);
    const total = result.queryMs.reduce((a, b) => a + b, 0);
    variants.push({
      id: variant.id,
      dtype: variant.dtype,
      lastPosition: variant.lastPosition,
      modelFile: dataSize === undefined ? variant.graph : `${variant.graph} + ${path.basename(original)}_data`,
      weightsMb: round(weights / 2 ** 20, 1),
      loadMs: round(result.loadMs, 0),
      engine: pick(result.info, ['workers', 'threads', 'batchSize', 'maxBatchTokens', 'maxLength']),
      queryMs: result.queryMs.map((ms) => round(ms, 0)),
      p50Ms: round(median(result.queryMs), 0),
      meanMs: round(total / result.queryMs.length, 0),
      pairsPerSecond: round((sets.length * candidates) / (total / 1000), 2),
      rssAfterLoadMb: round(result.rssAfterLoadMb, 0),
      peakRssMb: round(result.peakRssMb, 0),
    });
  }
  const dims = { layers: shape.layers, hidden: shape.hidden, heads: shape.heads, kvHeads: shape.kvHeads, headDim: shape.headDim, intermediate: shape.intermediate, vocabSize: shape.vocabSize };
  return {
    schema: 'crossrank-bench-causal/1',
    createdAt: new Date().toISOString(),
    durationS: round((performance.now() - started) / 1000, 1),
    machine: options.machine(),
    model: { shape: options.shape, dir: options.modelDirLabel, parameters: qwen3Parameters(dims), ...dims, randomWeights: true },
    workload: { source: options.workload.source, queries: sets.length, candidatesPerQuery: candidates, topN: options.topN },
    variants,
    notes: [
      'Weights are random (generated by @crossrank/testing) in the real architecture, with a Qwen2-style BPE tokenizer and the sentence-transformers chat template: timings are real, scores mean nothing.',
      `Timed: CrossEncoder.rerank(query, docs, { topN: ${options.topN} }) once per query, after CrossEncoder.load (which runs one tiny warm-up pass), with ${Object.keys(options.engine).length === 0 ? 'the engine\'s default options' : `options ${JSON.stringify(options.engine)}`}.`,
      'Each dtype runs in its own process, one after the other; peak RSS is that process\'s maxRSS (worker threads included: each worker holds its own session).',
      'Weights on disk: the ONNX graph plus, where written, its external data file (`*.onnx_data`, which models over 2 GB need). q8 stores the layer MatMul weights as int8 (DynamicQuantizeMatMul, dynamic u8 activations) and keeps the tied embedding table, which is also the LM head, in fp32.',
      'fp32 and q8 compute logits for every position and the whole vocabulary, as the hub\'s exports do; only the last position\'s "yes" and "no" are read. fp32-last and q8-last are the same graphs rewritten by keepLastPositionFile (@crossrank/testing) to run the LM head on the last position only (logits [batch, vocabulary]); loaded with modelFile, same weights file.',
    ],
  };
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, source[key]]));
}

function statSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** The weights of the generated model (randomQwen3Weights): tied embeddings, each layer's matrices and norms, the final norm. */
function qwen3Parameters(s: { layers: number; hidden: number; heads: number; kvHeads: number; headDim: number; intermediate: number; vocabSize: number }): number {
  const layer = s.hidden * (s.heads + 2 * s.kvHeads) * s.headDim + s.heads * s.headDim * s.hidden + 3 * s.hidden * s.intermediate + 2 * s.hidden + 2 * s.headDim;
  return s.vocabSize * s.hidden + s.layers * layer + s.hidden;
}

/** Runs one dtype in a fresh process (tsx's loader comes with the parent's execArgv). */
function runChild(childPath: string, spec: CausalChildSpec): Promise<Extract<CausalChildResult, { type: 'result' }>> {
  return new Promise((resolve, reject) => {
    const child = fork(childPath, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    child.once('message', (message: CausalChildResult) => {
      answered = true;
      if (message.type === 'failed') reject(new Error(`the ${spec.dtype} process failed: ${message.message}`));
      else resolve(message);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!answered) reject(new Error(`the ${spec.dtype} process exited (code ${code}, signal ${signal}) before answering; out of memory? Its stderr is above.`));
    });
    child.send(spec);
  });
}
