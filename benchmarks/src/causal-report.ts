// `pnpm bench --only causal`: runs the causal-LM scenario and writes causal.json and causal.md to --out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BenchConfig } from './config.js';
import { runCausalScenario, type CausalResult } from './causal-scenario.js';
import { machineInfo } from './machine.js';
import type { Workload } from './workload.js';

/** Queries timed when --queries is not given: each takes tens of seconds at the 0.6B shape on 2 cores. */
export const CAUSAL_QUERIES = 5;

export interface CausalRunContext {
  benchDir: string;
  repoRoot: string;
  childPath: string;
  loadStart: number[];
  log: (line: string) => void;
}

export async function writeCausalScenario(config: BenchConfig, workload: Workload, context: CausalRunContext): Promise<CausalResult> {
  const shape = config.mode === 'quick' ? 'qwen3-tiny' : 'qwen3-0.6b';
  const modelDir = path.join(context.benchDir, '.cache', 'models', shape);
  const onnxruntime = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  const result = await runCausalScenario({
    shape,
    modelDir,
    modelDirLabel: path.relative(context.repoRoot, modelDir),
    childPath: context.childPath,
    workload,
    engine: config.engine,
    topN: config.topN,
    machine: () => machineInfo(context.loadStart, onnxruntime),
    log: context.log,
  });
  const markdown = causalMarkdown(result);
  mkdirSync(config.out, { recursive: true });
  writeFileSync(path.join(config.out, 'causal.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(config.out, 'causal.md'), markdown);
  process.stdout.write(`${markdown}\nWrote ${path.join(config.out, 'causal.json')} and causal.md\n`);
  return result;
}

export function causalMarkdown(result: CausalResult): string {
  const m = result.machine;
  const lines = [
    `# Causal-LM reranker on CPU (${result.model.shape}, ${result.createdAt.slice(0, 10)})`,
    '',
    `${m.cpuModel}, ${m.cores} cores (${m.flags.join(', ') || 'no AVX2'}), load average ${m.loadAverage.start.map((n) => n.toFixed(1)).join(' ')} -> ${m.loadAverage.end.map((n) => n.toFixed(1)).join(' ')}; Node ${m.node}, onnxruntime-node ${m.onnxruntime}.`,
    `Model: ${result.model.layers} layers, hidden ${result.model.hidden}, ${result.model.heads} / ${result.model.kvHeads} heads of ${result.model.headDim}, intermediate ${result.model.intermediate}, vocabulary ${result.model.vocabSize.toLocaleString('en-US')} (${(result.model.parameters / 1e6).toFixed(0)}M parameters, generated weights). ` +
      `Workload: ${result.workload.queries} ${result.workload.source === 'dl19' ? 'TREC DL19 queries' : 'generated queries'} x ${result.workload.candidatesPerQuery} candidates${result.workload.source === 'dl19' ? ' (BM25 top, in rank order)' : ''}, top ${result.workload.topN}.`,
    '',
    `| | ${result.variants.map((v) => (v.lastPosition ? `${v.dtype}, LM head on the last position` : v.dtype)).join(' | ')} |`,
    `|---|${result.variants.map(() => '---|').join('')}`,
    row('p50 ms per query', result.variants.map((v) => String(v.p50Ms))),
    row('mean ms per query', result.variants.map((v) => String(v.meanMs))),
    row('each query, ms', result.variants.map((v) => v.queryMs.join(', '))),
    row('pairs/s', result.variants.map((v) => String(v.pairsPerSecond))),
    row('model load ms', result.variants.map((v) => String(v.loadMs))),
    row('RSS after load MB', result.variants.map((v) => String(v.rssAfterLoadMb))),
    row('peak RSS MB', result.variants.map((v) => String(v.peakRssMb))),
    row('weights on disk MB', result.variants.map((v) => `${v.weightsMb} (${v.modelFile})`)),
    row('workers x threads', result.variants.map((v) => `${String(v.engine['workers'])} x ${String(v.engine['threads'])}`)),
    row('batchSize / maxBatchTokens / maxLength', result.variants.map((v) => `${String(v.engine['batchSize'])} / ${String(v.engine['maxBatchTokens'])} / ${String(v.engine['maxLength'])}`)),
    '',
    ...result.notes.map((note) => `- ${note}`),
    '',
  ];
  return lines.join('\n');
}

function row(label: string, cells: string[]): string {
  return `| ${label} | ${cells.join(' | ')} |`;
}
