// The load and memory rows of `pnpm bench` (issue #21): per model, dtype and `workers` option, one
// fresh process (fresh-probe.ts) loads the model under a heartbeat, reranks one 20-candidate set and
// reports its peak RSS. Default options and `workers: 0` alternate per model and dtype, so drift on a
// shared machine hits both alike.
import { fork } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_MODEL_SHAPES } from '@crossrank/testing';
import type { BenchConfig } from './config.js';
import { bigTokenizerModel, largeModel, XLMR_PIECES } from './footprint-models.js';
import { HEARTBEAT_MS } from './heartbeat.js';
import type { ProbeResult, ProbeSpec } from './fresh-probe.js';
import type { CandidateSet } from './workload.js';

/** `miniLM`: the bench model; `bigTokenizer`: XLM-R-sized tokenizer.json; `large`: the 1.3 GB model. */
export type FootprintModelKey = 'miniLM' | 'bigTokenizer' | 'large';

export interface FootprintModel {
  key: FootprintModelKey;
  label: string;
  dir: string;
  dtypes: Array<'fp32' | 'q8'>;
  /** Sizes on disk, for the report. */
  fp32Mb: number;
  tokenizerMb: number;
}

export interface FootprintRow extends ProbeResult {
  model: FootprintModelKey;
  dtype: 'fp32' | 'q8';
  option: 'default' | 'workers: 0';
}

export interface Footprint {
  heartbeatMs: number;
  candidates: number;
  models: Array<Omit<FootprintModel, 'dir'>>;
  rows: FootprintRow[];
  /** Rows left out of this run, and why (quick runs). */
  skipped: string[];
}

const mb = (file: string) => statSync(file).size / 2 ** 20;

/**
 * The models of the load and memory rows, generated into `config.modelsCache` when missing. Quick
 * runs use tiny stand-ins: the bench's tiny model, and a tiny XLM-R whose tokenizer holds 40,000
 * pieces instead of 250,002; the 1.3 GB model is left out.
 */
export async function footprintModels(config: BenchConfig, log: (line: string) => void): Promise<{ models: FootprintModel[]; skipped: string[] }> {
  const quick = config.mode === 'quick';
  const describe = (key: FootprintModelKey, label: string, dir: string, dtypes: Array<'fp32' | 'q8'>): FootprintModel => ({
    key,
    label,
    dir,
    dtypes,
    fp32Mb: mb(path.join(dir, 'onnx', 'model.onnx')),
    tokenizerMb: mb(path.join(dir, 'tokenizer.json')),
  });
  const pieces = quick ? 40_000 : XLMR_PIECES;
  const shape = quick ? TEST_MODEL_SHAPES.tiny : TEST_MODEL_SHAPES.miniLM;
  log(`load/memory rows: preparing the XLM-R model with a ${pieces}-piece tokenizer.json`);
  const tokenizerDir = await bigTokenizerModel(path.join(config.modelsCache, `xlmr-${quick ? 'tiny' : 'miniLM'}-${pieces}`), shape, pieces);
  const models = [
    describe('miniLM', `${config.shape} shape (the bench model)`, config.modelDir, ['fp32', 'q8']),
    describe('bigTokenizer', `XLM-R, ${quick ? 'tiny' : 'MiniLM'}-sized encoder, ${pieces.toLocaleString('en-US')}-piece tokenizer.json`, tokenizerDir, quick ? ['fp32'] : ['fp32', 'q8']),
  ];
  const skipped: string[] = [];
  if (quick) skipped.push('the 1.3 GB bge-reranker-large-shaped model (full runs only)');
  else {
    log('load/memory rows: preparing the bge-reranker-large-shaped model (~1.3 GB fp32; generated once)');
    models.push(describe('large', 'bge-reranker-large shape (XLM-R, 24 x 1024)', await largeModel(path.join(config.modelsCache, 'xlmr-large')), ['fp32', 'q8']));
  }
  return { models, skipped };
}

function probe(probePath: string, spec: ProbeSpec): Promise<ProbeResult> {
  const child = fork(probePath, [JSON.stringify(spec)], { execArgv: process.execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
  return new Promise((resolve, reject) => {
    let result: ProbeResult | undefined;
    createInterface({ input: child.stdout! }).once('line', (line) => (result = JSON.parse(line) as ProbeResult));
    child.once('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`load/memory probe of ${spec.modelDir} (${spec.dtype}, workers ${spec.workers}) exited with ${code}: ${stderr}`))));
  });
}

export async function runFootprint(
  probePath: string,
  prepared: { models: FootprintModel[]; skipped: string[] },
  set: CandidateSet,
  topN: number,
  log: (line: string) => void,
): Promise<Footprint> {
  const rows: FootprintRow[] = [];
  for (const model of prepared.models) {
    for (const dtype of model.dtypes) {
      for (const workers of ['default', 0] as const) {
        const option = workers === 'default' ? 'default' : 'workers: 0';
        const result = await probe(probePath, { modelDir: model.dir, dtype, workers, heartbeatMs: HEARTBEAT_MS, set, topN });
        log(
          `load/memory: ${model.key} ${dtype} ${option}: load ${result.loadMs.toFixed(0)} ms (gap ${result.loadGapMs.toFixed(1)} ms), ` +
            `first rerank ${result.firstRerankMs.toFixed(0)} ms, peak RSS ${result.peakRssMb.toFixed(0)} MB`,
        );
        rows.push({ model: model.key, dtype, option, ...result });
      }
    }
  }
  return { heartbeatMs: HEARTBEAT_MS, candidates: set.docs.length, models: prepared.models.map(({ dir: _dir, ...rest }) => rest), rows, skipped: prepared.skipped };
}

/** Default options over `workers: 0` for one model and dtype: peak RSS and first-rerank time. */
export function footprintRatios(footprint: Footprint): Array<{ model: FootprintModelKey; dtype: 'fp32' | 'q8'; rss: number; firstRerank: number }> {
  const out = [];
  for (const row of footprint.rows.filter((r) => r.option === 'default')) {
    const inThread = footprint.rows.find((r) => r.model === row.model && r.dtype === row.dtype && r.option === 'workers: 0');
    if (inThread) out.push({ model: row.model, dtype: row.dtype, rss: row.peakRssMb / inThread.peakRssMb, firstRerank: row.firstRerankMs / inThread.firstRerankMs });
  }
  return out;
}

export function footprintLines(footprint: Footprint): string[] {
  const fixed = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const label = (key: FootprintModelKey) => footprint.models.find((m) => m.key === key)?.label ?? key;
  return [
    `Load and memory, one fresh process per row: \`CrossEncoder.load\` under a ${footprint.heartbeatMs} ms heartbeat (gap = longest tick interval minus ${footprint.heartbeatMs} ms), ` +
      `then one rerank of a ${footprint.candidates}-candidate set (the first call), then the process's peak RSS (${footprint.rows[0]?.rssSource ?? 'VmHWM'}, worker threads included). ` +
      `Models: ${footprint.models.map((m) => `${m.label}: ${fixed(m.fp32Mb)} MB fp32, tokenizer.json ${fixed(m.tokenizerMb, 1)} MB`).join('; ')}.` +
      (footprint.skipped.length > 0 ? ` Not run: ${footprint.skipped.join('; ')}.` : ''),
    '',
    '| model | dtype | options | info.workers x threads | load ms | largest gap while loading ms | first rerank ms | peak RSS MB |',
    '|---|---|---|---|---:|---:|---:|---:|',
    ...footprint.rows.map(
      (r) =>
        `| ${label(r.model)} | ${r.dtype} | ${r.option} | ${r.workers} x ${r.threads} | ${fixed(r.loadMs)} | ${fixed(r.loadGapMs, 1)} | ${fixed(r.firstRerankMs)} | ${fixed(r.peakRssMb)} |`,
    ),
    '',
    '| model | dtype | peak RSS, default / workers: 0 | first rerank, default / workers: 0 |',
    '|---|---|---:|---:|',
    ...footprintRatios(footprint).map((r) => `| ${label(r.model)} | ${r.dtype} | ${fixed(r.rss, 2)}x | ${fixed(r.firstRerank, 2)}x |`),
    '',
  ];
}
