// Times one model folder at one dtype in its own process, so load time and peak RSS are its own:
// load, 1 warm-up query, then `queries` timed rerank calls of `size` candidates each. Prints one
// JSON line (TimingResult) on stdout.
import os from 'node:os';
import { CrossEncoder, type CrossEncoderDtype } from '@crossrank/onnx';
import { AutoTokenizer } from '@huggingface/transformers';
import { loadCandidates } from './candidates.js';

export interface TimingSpec {
  dir: string;
  dtype: CrossEncoderDtype;
  dataDir: string;
  queries: number;
  size: number;
  topN: number;
}

export interface TimingResult {
  source: string;
  loadMs: number;
  warmupMs: number;
  /** One entry per timed query, in order. */
  queryMs: number[];
  /** Tokens per query set (pairs after truncation, special tokens included, before padding). */
  tokensPerQuery: number[];
  /** Peak resident set of this process (Node, tsx, ONNX Runtime and the model), MiB. */
  peakRssMiB: number;
  loadAverage: { start: number[]; end: number[] };
}

const spec = JSON.parse(process.argv[2] ?? '') as TimingSpec;
const loadStart = os.loadavg();
// Set 0 is the warm-up; sets 1..queries are timed, so every model sees the same timed queries.
const { source, sets } = loadCandidates(spec.dataDir, spec.queries + 1, spec.size);

let started = performance.now();
const encoder = await CrossEncoder.load(spec.dir, { dtype: spec.dtype });
const loadMs = performance.now() - started;

started = performance.now();
await encoder.rerank(sets[0]!.query, sets[0]!.docs, { topN: spec.topN });
const warmupMs = performance.now() - started;

const queryMs: number[] = [];
for (const set of sets.slice(1)) {
  started = performance.now();
  const top = await encoder.rerank(set.query, set.docs, { topN: spec.topN });
  queryMs.push(performance.now() - started);
  if (top.length !== spec.topN) throw new Error(`rerank returned ${top.length} results for topN ${spec.topN}.`);
}
// Read before the token count below loads a second tokenizer; maxRSS is in KiB on Linux and macOS.
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
await encoder.dispose();

const tokenizer = await AutoTokenizer.from_pretrained(spec.dir, { local_files_only: true });
const tokensPerQuery = sets.slice(1).map((set) =>
  set.docs.reduce((total, doc) => {
    const { input_ids } = tokenizer(set.query, { text_pair: doc, truncation: true, max_length: encoder.info.maxLength });
    return total + (input_ids.dims.at(-1) ?? 0);
  }, 0),
);

const result: TimingResult = { source, loadMs, warmupMs, queryMs, tokensPerQuery, peakRssMiB, loadAverage: { start: loadStart, end: os.loadavg() } };
process.stdout.write(`${JSON.stringify(result)}\n`);
