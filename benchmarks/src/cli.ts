// `pnpm bench`: see USAGE in args.ts. Progress goes to stderr; the report to stdout and --out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestCrossEncoder, TEST_MODEL_SHAPES } from '@crossrank/testing';
import { BenchUsageError, parseArgs, USAGE } from './args.js';
import { CAUSAL_QUERIES, writeCausalScenario } from './causal-report.js';
import type { BenchConfig } from './config.js';
import { bertDims, FLOPS_FORMULA } from './flops.js';
import { machineInfo } from './machine.js';
import { fusedQ8Folder, opCounts } from './models.js';
import { ratioLines, toMarkdown } from './report.js';
import type { BenchResult } from './result.js';
import { footprintModels, runFootprint } from './footprint.js';
import { responsiveFigures } from './responsive-goals.js';
import { runResponsiveness, serverRatios } from './responsiveness.js';
import { runResponsivenessOnly } from './responsiveness-only.js';
import { q8Dir, runBench } from './run.js';
import { runServeScenario, serveMarkdown, type ServeScenarioResult } from './serve-scenario.js';
import { agreementOf, goalsOf, ratiosOf, summarizePeak, summarizeScale, summarizeVariant } from './summarize.js';
import { dl19Available, generateWorkload, loadDl19, type Workload } from './workload.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.dirname(here);
const repoRoot = path.dirname(benchDir);

const t0 = performance.now();
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);

function workloadFor(config: BenchConfig): Workload {
  const useDl19 = config.data === 'dl19' || (config.data === 'auto' && dl19Available(config.dataDir));
  if (config.data === 'dl19' && !dl19Available(config.dataDir)) {
    throw new BenchUsageError(`--data dl19: no TREC DL19 file in ${config.dataDir}. Use --data generated (or auto).`);
  }
  const workload = useDl19 ? loadDl19(config.dataDir, config.candidates) : generateWorkload(config.queries ?? 43, config.candidates);
  return { ...workload, sets: workload.sets.slice(0, config.queries ?? workload.sets.length) };
}

async function main(): Promise<void> {
  const config = parseArgs(process.argv.slice(2), { repoRoot, benchDir, workerPath: path.join(here, 'worker.ts') });
  if (config === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const loadStart = os.loadavg();
  const started = performance.now();
  if (config.only === 'causal') {
    await writeCausalScenario(config, workloadFor({ ...config, queries: config.queries ?? CAUSAL_QUERIES }), { benchDir, repoRoot, childPath: path.join(here, 'causal-child.ts'), loadStart, log });
    return;
  }
  log(`preparing the ${config.shape} model in ${config.modelDir}`);
  const model = await createTestCrossEncoder({ dir: config.modelDir, ...TEST_MODEL_SHAPES[config.shape], quantized: true });
  const dims = bertDims(model.config);
  if (config.q8Format !== 'unfused') {
    log('preparing the fused q8 model');
    fusedQ8Folder(config.modelDir);
  }
  const workload = workloadFor(config);
  log(`${workload.sets.length} ${workload.source} candidate sets of ${config.candidates}`);
  if (config.only === 'serve') {
    await writeServeScenario(config, workload, loadStart);
    return;
  }
  if (config.only === 'responsiveness') {
    await runResponsivenessOnly(config, workload, () => machineInfo(loadStart, onnxruntimeVersion()), log);
    return;
  }

  const raw = await runBench(config, workload, log);
  const responsiveness =
    config.responsivenessSeconds > 0
      ? await runResponsiveness(config.servePath, config.modelDir, workload.sets[0]!, config.responsivenessSeconds, config.concurrencies, log)
      : undefined;
  // Load gap, first call and peak RSS per model (issue #21): with the other responsiveness rows.
  const footprint =
    config.responsivenessSeconds > 0 ? await runFootprint(config.probePath, await footprintModels(config, log), workload.sets[0]!, config.topN, log) : undefined;
  const peak = summarizePeak(raw, config);
  // Paths in the report are relative to the repository, so a committed result says nothing about one machine.
  const variants = raw.variants.map((v) => {
    const summary = summarizeVariant(v, config.candidates, dims, peak);
    const model = summary.info['model'];
    return typeof model === 'string' && path.isAbsolute(model) ? { ...summary, info: { ...summary.info, model: path.relative(repoRoot, model) } } : summary;
  });
  const agreement = agreementOf(raw, config.topN);
  const scale = summarizeScale(raw, dims);
  const ratios = { ...ratiosOf(raw, variants), ...(responsiveness ? serverRatios(responsiveness) : {}) };
  const pairLengths = raw.pairLengths.flat().map((n) => Math.min(n, raw.maxLength));
  const engine = variants.find((v) => v.id === 'fp32')!.info;
  const result: BenchResult = {
    schema: 'crossrank-bench/1',
    createdAt: new Date().toISOString(),
    mode: config.mode,
    durationS: (performance.now() - started) / 1000,
    machine: machineInfo(loadStart, (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version),
    model: {
      shape: config.shape,
      dir: path.relative(repoRoot, config.modelDir),
      ...dims,
      randomWeights: true,
      q8Ops: opCounts(path.join(q8Dir(config), 'onnx', 'model_quantized.onnx')),
    },
    workload: {
      source: workload.source,
      queries: workload.sets.length,
      candidatesPerQuery: config.candidates,
      rounds: config.rounds,
      topN: config.topN,
      meanPairTokens: pairLengths.reduce((a, b) => a + b, 0) / pairLengths.length,
    },
    flopsFormula: FLOPS_FORMULA,
    peak,
    variants,
    agreement,
    scale,
    ratios,
    ...(responsiveness ? { responsiveness } : {}),
    ...(footprint ? { footprint } : {}),
    goals: goalsOf(variants, agreement, scale, ratios, responsiveFigures({ ...(responsiveness ? { responsiveness } : {}), ...(footprint ? { footprint } : {}), ratios })),
    notes: [
      ...(config.mode === 'quick' ? ['Quick (smoke) run: tiny 2-layer model and generated passages, to prove the harness works. The goals are for the full run (`pnpm bench`); ignore them here.'] : []),
      'Weights are random (generated by @crossrank/testing) with the real architecture and tokenizer: timings are real, but q8-vs-fp32 top-3 agreement is only a smoke check, not a quality claim.',
      `Timed: (a) tokenizer(queries, { text_pair: docs, padding: true, truncation: true }) + one forward pass + top ${config.topN}; (b), (c) CrossEncoder.rerank(query, docs, { topN: ${config.topN} }) with engine defaults (batchSize ${String(engine['batchSize'])}, maxBatchTokens ${String(engine['maxBatchTokens'])}).`,
      'Each variant runs in its own process, loaded one after the other; peak RSS is that process\'s maxRSS, model included. Padded tokens and useful FLOPs come from the input shapes of the ONNX Runtime calls each variant made.',
      'The machine may be shared: compare ratios within one run. *PairedSpeedupVsBaseline is the median of per-query time ratios measured back to back.',
      `q8 graph: ${config.q8Format === 'unfused' ? 'createTestCrossEncoder\'s default (one DynamicQuantizeMatMul per weight, attention as separate float ops)' : 'ONNX Runtime\'s fused int8 attention (QAttention, DynamicQuantizeMatMul for the other weights), as quantizeModel({ fuseAttention: true }) writes it'}${config.q8Format === 'both' ? "; (c') is the unfused default for comparison" : ''}. Both are per-channel symmetric int8 weights (u8 x s8 kernels), dynamic u8 activations.`,
      `Scale runs: one query with N candidates cycled from the ${workload.source === 'dl19' ? 'DL19 BM25 top-100 passages' : 'generated passages'}, ${config.scaleDtype}, each in a fresh process after one 20-candidate warm-up query.`,
    ],
  };

  mkdirSync(config.out, { recursive: true });
  // The HTTP server scenario: full runs only (the quick smoke run stays seconds long).
  if (config.mode === 'full' && config.responsivenessSeconds > 0) await writeServeScenario(config, workload, loadStart);
  const markdown = toMarkdown(result);
  writeFileSync(path.join(config.out, 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(config.out, 'bench.md'), markdown);
  process.stdout.write(`${markdown}\n${ratioLines(result).join('\n')}\n\nWrote ${path.join(config.out, 'bench.json')} and bench.md\n`);
}

function onnxruntimeVersion(): string {
  return (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
}

/** Runs the `crossrank serve` scenario and writes serve.json and serve.md to --out. */
async function writeServeScenario(config: BenchConfig, workload: Workload, loadStart: number[]): Promise<ServeScenarioResult> {
  const cliPath = path.join(repoRoot, 'packages', 'cli', 'dist', 'cli.js');
  const seconds = config.responsivenessSeconds > 0 ? config.responsivenessSeconds : 5;
  const result = await runServeScenario({
    cliPath,
    modelDir: config.modelDir,
    sets: workload.sets,
    seconds,
    concurrencies: config.concurrencies,
    topN: config.topN,
    overload: { clients: 64, maxQueue: 8 },
    log,
  });
  const machine = machineInfo(loadStart, (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version);
  const header = `## crossrank serve vs in-process (${new Date().toISOString().slice(0, 10)}, ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverage.start.map((n) => n.toFixed(1)).join(' ')} -> ${machine.loadAverage.end.map((n) => n.toFixed(1)).join(' ')}; ${config.shape} shape, generated weights, ${workload.source} sets)`;
  const markdown = serveMarkdown(result, header);
  mkdirSync(config.out, { recursive: true });
  writeFileSync(path.join(config.out, 'serve.json'), `${JSON.stringify({ createdAt: new Date().toISOString(), machine, shape: config.shape, data: workload.source, ...result }, null, 2)}\n`);
  writeFileSync(path.join(config.out, 'serve.md'), markdown);
  process.stdout.write(`${markdown}\nWrote ${path.join(config.out, 'serve.json')} and serve.md\n`);
  return result;
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}`);
  } else if ((error as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' && /@crossrank\/(core|onnx|testing)/.test(String((error as Error).message))) {
    process.stderr.write('Build the packages first: pnpm exec turbo run build --filter=@crossrank/benchmarks^...\n');
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
});
