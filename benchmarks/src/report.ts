import { footprintLines } from './footprint.js';
import type { Responsiveness } from './responsiveness.js';
import type { BenchResult, Goal, VariantSummary } from './result.js';

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const pct = (n: number) => `${fixed(100 * n, 1)}%`;

/** The markdown report: one table per question the benchmark answers. */
export function toMarkdown(result: BenchResult): string {
  const { machine, model, workload, peak, variants, agreement, scale, ratios, goals } = result;
  const lines: string[] = [];
  lines.push(`# crossrank rerank benchmark (${result.mode})`, '');
  lines.push(
    `${result.createdAt}: ${machine.cpuModel}, ${machine.cores} cores (vector extensions: ${machine.vectorExtensions}), ` +
      `load average ${machine.loadAverage.start.map((n) => n.toFixed(1)).join('/')} at start, ${machine.loadAverage.end.map((n) => n.toFixed(1)).join('/')} at end; ` +
      `Node ${machine.node}, onnxruntime-node ${machine.onnxruntime}, @huggingface/transformers ${machine.transformers}. Run took ${fixed(result.durationS)} s.`,
    '',
    `Model: ${model.shape} shape (${model.layers} layers, hidden ${model.hidden}, ffn ${model.intermediate}), generated random weights; ` +
      `q8 graph of (c): ${Object.entries(model.q8Ops).filter(([op]) => /Quant|Attention|LayerNorm|MatMul/.test(op)).map(([op, n]) => `${n} ${op}`).join(', ')}. ` +
      `Workload: ${workload.queries} ${workload.source === 'dl19' ? 'TREC DL19 queries x BM25 top' : 'generated queries x'} ${workload.candidatesPerQuery} candidates ` +
      `(mean ${fixed(workload.meanPairTokens)} tokens per pair), ${workload.rounds} round(s), variants alternated per query, topN ${workload.topN}.`,
    '',
  );
  lines.push(`| | ${variants.map((v) => v.label).join(' | ')} |`, `|---|${variants.map(() => '---:').join('|')}|`);
  const row = (name: string, cell: (v: VariantSummary) => string) => lines.push(`| ${name} | ${variants.map(cell).join(' | ')} |`);
  row('pairs/s', (v) => fixed(v.pairsPerSecond, 1));
  row('p50 ms per query', (v) => fixed(v.p50Ms, 1));
  row('p95 ms per query', (v) => fixed(v.p95Ms, 1));
  row('padded tokens', (v) => pct(v.paddedShare));
  row('forward passes per query', (v) => fixed(v.forwardPassesPerQuery, 1));
  row('useful GFLOP/s', (v) => fixed(v.usefulGflops, 1));
  row(`share of fp32 MatMul peak (${fixed(peak.medianGflops, 1)} GFLOP/s)`, (v) => `${pct(v.shareOfFp32Peak)}${v.dtype === 'q8' ? ' (int8 ops)' : ''}`);
  row('peak RSS MB', (v) => fixed(v.peakRssMb));
  row('model load ms', (v) => fixed(v.loadMs));
  lines.push('');

  lines.push('Ratios (same run):', '');
  for (const [name, value] of Object.entries(ratios)) lines.push(`- ${name}: ${fixed(value, 2)}`);
  lines.push('');

  lines.push(...goalLines(goals), '');

  lines.push(
    `Agreement: ${agreement.comparedPairs} pairs under the length limit compared (${agreement.excludedTruncatedPairs} longer ones excluded). ` +
      `fp32 vs baseline: max |score diff| ${agreement.fp32VsBaseline.maxAbsScoreDiff.toExponential(2)}, max |logit diff| ${agreement.fp32VsBaseline.maxAbsLogitDiff.toExponential(2)}, ` +
      `same top 3 on ${pct(agreement.fp32VsBaseline.sameTop3Share)} of queries. q8 vs fp32: same top 3 (in order) on ${pct(agreement.q8VsFp32.sameTop3Share)}, ` +
      `same top-3 set on ${pct(agreement.q8VsFp32.sameTop3SetShare)}, max |score diff| ${fixed(agreement.q8VsFp32.maxAbsScoreDiff, 4)}, max |logit diff| ${fixed(agreement.q8VsFp32.maxAbsLogitDiff, 3)}; ` +
      `on the ${agreement.q8VsFp32.beyondError.decided} queries whose fp32 cut after the top 3 is wider than that logit error, same top-3 set on ${agreement.q8VsFp32.beyondError.sameSet}.` +
      (agreement.q8FusedVsUnfused ? ` Fused vs unfused int8 graph: max |logit diff| ${agreement.q8FusedVsUnfused.maxAbsLogitDiff.toExponential(2)}.` : ''),
    '',
  );

  if (scale.length > 0) {
    lines.push(
      '| candidates (one query) | dtype | ms | pairs/s | ms per useful GFLOP | padded tokens | forward passes | RSS before the call MB | added by the call MB | process peak RSS MB |',
      '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const s of scale) {
      lines.push(
        `| ${s.candidates} | ${s.dtype} | ${fixed(s.ms)} | ${fixed(s.pairsPerSecond, 1)} | ${fixed(s.msPerUsefulGflop, 2)} | ${pct(s.paddedShare)} | ${s.forwardPasses} | ` +
          `${fixed(s.rssBeforeCallMb)} | ${fixed(s.callRssGrowthMb, 1)} | ${fixed(s.peakRssMb)} |`,
      );
    }
    lines.push('');
  }

  if (result.responsiveness) lines.push(...responsivenessLines(result.responsiveness));
  if (result.footprint) lines.push(...footprintLines(result.footprint));

  lines.push(`Peak: ${peak.matMul} with ONNX Runtime, ${peak.threads} threads, best of each slot's repeats, median over ${peak.samples} slots (max ${fixed(peak.maxGflops, 1)} GFLOP/s).`, '');
  lines.push(`FLOPs: ${result.flopsFormula}.`, '');
  for (const note of result.notes) lines.push(`- ${note}`);
  return `${lines.join('\n')}\n`;
}

/** The lines printed at the end of a run: the ratios and goals, compactly. */
export function ratioLines(result: BenchResult): string[] {
  return [
    ...Object.entries(result.ratios).map(([name, value]) => `${name}: ${fixed(value, 2)}`),
    ...result.goals.map((g) => `${g.met ? 'met ' : 'MISS'} ${g.name}: ${g.value} (target ${g.target})`),
  ];
}

/** The goal table: one row per goal, met yes/NO. */
export function goalLines(goals: readonly Goal[]): string[] {
  return ['| goal | target | measured | met |', '|---|---|---|---|', ...goals.map((g) => `| ${g.name} | ${g.target} | ${g.value} | ${g.met ? 'yes' : 'NO'} |`)];
}

/** What the `workers` rows ran with: the default options resolve to this many workers x threads. */
function resolved(rows: ReadonlyArray<{ mode: string; workers?: number; threads?: number }>): string {
  const seen = [...new Set(rows.filter((r) => r.mode === 'workers' && r.workers !== undefined).map((r) => `${r.workers} x ${r.threads}`))];
  return seen.length > 0 ? ` (here info.workers x threads = ${seen.join(', ')})` : '';
}

/** The event-loop and node:http server tables. */
export function responsivenessLines(responsiveness: Responsiveness): string[] {
  const { eventLoop, server, seconds } = responsiveness;
  return [
    `Event loop (${seconds} s of back-to-back reranks of one 20-candidate set in the serving process; a 5 ms heartbeat and a local GET /health every 20 ms; ` +
      `workers = CrossEncoder.load's default options${resolved(eventLoop)}, in-thread = \`workers: 0\`):`,
    '',
    '| mode | dtype | reranks | largest heartbeat gap ms | GET p50 ms | GET p99 ms |',
    '|---|---|---:|---:|---:|---:|',
    ...eventLoop.map((r) => `| ${r.mode} | ${r.dtype} | ${r.reranks} | ${fixed(r.maxGapMs, 1)} | ${fixed(r.getP50Ms, 1)} | ${fixed(r.getP99Ms, 1)} |`),
    '',
    `node:http server, /rerank = one query's 20 candidates; closed-loop clients for ${seconds} s per level, /health probed every 50 ms; workers = default options${resolved(server)}:`,
    '',
    '| mode | dtype | concurrency | requests/s | rerank p50 ms | rerank p99 ms | health p99 ms |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...server.map((r) => `| ${r.mode} | ${r.dtype} | ${r.concurrency} | ${fixed(r.requestsPerSecond, 2)} | ${fixed(r.rerankP50Ms, 1)} | ${fixed(r.rerankP99Ms, 1)} | ${fixed(r.healthP99Ms, 1)} |`),
    '',
  ];
}
