// results.json's shape and its markdown rendering (results.md), the table the README copies.
import type { MachineInfo } from './machine.js';
import { SEED_MODELS, SHAPES, type SeedModel, type Shape } from './seed-models.js';
import type { RunSummary } from './summary.js';

export interface ShapeInfo extends Shape {
  dir: string;
  fileMiB: { fp32: number; q8: number };
}

export interface SeedModelsResult {
  schema: 'crossrank-seed-models/1';
  createdAt: string;
  /** Seconds spent timing (build and model generation excluded). */
  durationS: number;
  command: string;
  machine: MachineInfo;
  workload: { source: string; candidates: number; topN: number; warmupQueries: number; passes: number };
  shapes: ShapeInfo[];
  models: readonly SeedModel[];
  runs: RunSummary[];
}

const DTYPES = ['fp32', 'q8'] as const;

export function toMarkdown(result: SeedModelsResult): string {
  const { machine, workload } = result;
  const passes = Array.from({ length: workload.passes }, (_, i) => i + 1);
  const runsOf = (shape: string, dtype: string) => passes.map((p) => result.runs.find((r) => r.pass === p && r.shape === shape && r.dtype === dtype));
  const cell = (runs: Array<RunSummary | undefined>, pick: (r: RunSummary) => number, digits = 0) =>
    runs.map((r) => (r ? pick(r).toFixed(digits) : 'n/a')).join(' / ');

  const lines = [
    '# Seed models: CPU speed of each real shape',
    '',
    `Measured ${result.createdAt.slice(0, 10)} with \`${result.command}\` (timing took ${Math.round(result.durationS)} s).`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores (${machine.kernelFlags.join(', ')}), ${machine.memoryGiB} GiB, ` +
      `${machine.os}; Node ${machine.node}, onnxruntime-node ${machine.onnxruntime} (via @huggingface/transformers ${machine.transformers}). ` +
      'The machine was shared with other engineers\' test runs, so absolute figures are noisy: each cell shows ' +
      `${passes.map((p) => `pass ${p}`).join(' / ')} (pass 2 runs the models in reverse order).`,
    '',
    `Workload: \`CrossEncoder.rerank(query, docs, { topN: ${workload.topN} })\` over ${workload.candidates}-candidate sets ` +
      `(${workload.source === 'trec-dl19-bm25' ? 'TREC DL19 queries with their BM25 top 20, in rank order' : 'generated passages of 10-216 words, median 55'}); ` +
      `${workload.warmupQueries} warm-up query, then the next N queries timed; each model and dtype loads in its own process. ` +
      'Default engine settings (threads = cores, batch planning by tokens).',
    '',
    `| Seed model | Architecture | dtype | Load (s) | p50 ms / ${workload.candidates} cand. | p95 ms | pairs/s | Peak RSS (MiB) | Load avg | Timed queries |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const measured = new Set(result.runs.map((r) => r.shape));
  for (const model of SEED_MODELS) {
    if (model.shape && !measured.has(model.shape)) continue; // a --shapes subset run
    if (!model.shape) {
      lines.push(`| ${model.id} | ${model.architecture} | - | - | - | - | - | - | - | ${model.note ?? ''} |`);
      continue;
    }
    for (const dtype of DTYPES) {
      const runs = runsOf(model.shape, dtype);
      const queries = [...new Set(runs.map((r) => r?.queries ?? 0))].join(' / ');
      lines.push(
        `| ${model.id} | ${model.architecture} | ${dtype} | ${cell(runs, (r) => r.loadMs / 1000, 1)} | ${cell(runs, (r) => r.p50Ms)} | ` +
          `${cell(runs, (r) => r.p95Ms)} | ${cell(runs, (r) => r.pairsPerS, 1)} | ${cell(runs, (r) => r.peakRssMiB)} | ${cell(runs, (r) => r.loadAverage.start[0]!, 1)} | ${queries} |`,
      );
    }
  }

  const tokens = result.runs.find((r) => r.shape === SHAPES[0]!.id)?.meanTokensPerPair;
  lines.push(
    '',
    'Generated shapes (seeded random weights from `@crossrank/testing`, BERT WordPiece tokenizer, vocab 30,522):',
    '',
    '| Shape | Stands in for | fp32 file (MiB) | q8 file (MiB) |',
    '|---|---|---|---|',
    ...result.shapes.map(
      (s) => `| ${s.label} | ${SEED_MODELS.filter((m) => m.shape === s.id).map((m) => m.id).join(', ')} | ${s.fileMiB.fp32} | ${s.fileMiB.q8} |`,
    ),
    '',
    'Notes:',
    '',
    '- Speed depends on the shape, not on the weights, so a generated model of the same shape runs about as fast as the real one ' +
      "(ELECTRA's and XLM-RoBERTa's encoder layers compute what BERT's do; only the small classification heads differ). " +
      'cross-encoder/ms-marco-electra-base and BAAI/bge-reranker-base have the same shape (12 x 768, FFN 3072): their rows are the same measurement.',
    `- Token counts: the generated models use BERT's WordPiece tokenizer (${tokens ?? '?'} tokens per query/passage pair on average here, ` +
      'special tokens included). MiniLM and ELECTRA use the same kind of 30,522-entry WordPiece vocabulary; the bge rerankers use XLM-RoBERTa\'s ' +
      'SentencePiece tokenizer, so the same text gives a somewhat different token count and their real speed differs by about that ratio.',
    '- bge-reranker-base and -large have a 250,002-entry vocabulary: it only changes the embedding lookup (not per-token compute) but makes ' +
      'the model file and resident memory larger than measured here, by about (250,002 - 30,522) x hidden x 4 bytes in fp32: ' +
      '~643 MiB for base (hidden 768), ~857 MiB for large (hidden 1024); a quarter of that when the embeddings are int8.',
    `- Load avg: the 1-minute load average as that process started. It counts this benchmark's own ${machine.cores} ONNX Runtime threads, ` +
      `so about ${machine.cores} means nothing else ran on the ${machine.cores} cores; the excess is other work competing for them.`,
    `- p95 is interpolated between the two slowest of the ${[...new Set(result.runs.map((r) => r.queries))].sort((a, b) => b - a).join(' or ')} timed queries, so it is close to the slowest.`,
    '- Cohere rerank-v3.5 runs on Cohere\'s servers: its latency is a network round trip plus their queue, not a CPU figure.',
    '',
    'Published quality (sentence-transformers docs, MS MARCO cross-encoders; not measured here, the generated weights are random):',
    '',
    '| Seed model | TREC DL19 nDCG@10 | MS MARCO dev MRR@10 |',
    '|---|---|---|',
    ...SEED_MODELS.filter((m) => m.published).map((m) => `| ${m.id} | ${m.published!.trecDl19Ndcg10.toFixed(2)} | ${m.published!.msmarcoDevMrr10.toFixed(2)} |`),
    '',
  );
  return lines.join('\n');
}
