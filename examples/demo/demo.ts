/**
 * `pnpm demo`: retrieve 20 passages with BM25, rerank them to 3 with a local cross-encoder, and (with
 * OPENAI_API_KEY) answer from those 3. Prints both lists, how each passage moved, and where the time went.
 */
import { fileURLToPath } from 'node:url';
import type { CrossEncoder } from '@crossrank/onnx';
import { parseDemoArgs, USAGE, type DemoArgs } from './args.js';
import { Bm25Index } from './bm25.js';
import { loadCorpus, passageText, type Passage } from './corpus.js';
import { CorpusError, GenerationError, UsageError } from './errors.js';
import { ANSWER_MODEL, generateAnswer } from './generate.js';
import { explainLoadFailure } from './load-failure.js';
import { chooseModel, GENERATED_MODEL_NOTE, isGeneratedTestModel, loadCrossEncoder } from './model.js';
import { createDownloadProgress } from './progress.js';
import { formatCandidates, formatLatency, formatReranked, wrap, type Candidate, type GenerationTiming, type RerankedPassage } from './report.js';

const CORPUS_FILE = fileURLToPath(new URL('./data/passages.jsonl', import.meta.url));

/** Runs the demo; resolves to the process exit code (0 ok, 1 failed step, 2 bad flags). */
export async function runDemo(argv: readonly string[]): Promise<number> {
  let args: DemoArgs;
  let corpus: Passage[];
  try {
    args = parseDemoArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    corpus = loadCorpus(CORPUS_FILE);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CorpusError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const width = Math.max(60, Math.min(process.stdout.columns || 110, 140));

  // Load first, so the download bar (stderr) comes before the report and a failure prints alone.
  const choice = chooseModel(args.model, args.dtype);
  const progress = createDownloadProgress(process.stderr);
  let ce: CrossEncoder;
  try {
    if (process.stderr.isTTY) console.error(`Loading ${choice.model} (${choice.dtype})...`);
    ce = await loadCrossEncoder(choice, { offline: args.offline, cacheDir: args.cacheDir, onProgress: (e) => progress.onProgress(e) });
  } catch (error) {
    progress.finish();
    console.error(explainLoadFailure(error, choice, args.offline));
    if (process.env['CROSSRANK_DEBUG'] && error instanceof Error) console.error(error.stack);
    return 1;
  }
  progress.finish();

  try {
    const indexStart = performance.now();
    const index = new Bm25Index(corpus.map(passageText));
    const indexMs = performance.now() - indexStart;

    const retrievalStart = performance.now();
    const hits = index.search(args.query, args.topK);
    const retrievalMs = performance.now() - retrievalStart;
    if (hits.length === 0) {
      console.error(`No passage shares a word with ${JSON.stringify(args.query)}; try a question about containers, networking, web frameworks, HTTP, DNS or databases.`);
      return 1;
    }
    const candidates: Candidate[] = hits.map((h, i) => ({ rank: i + 1, passage: corpus[h.index]!, bm25: h.score }));

    const rerankStart = performance.now();
    const results = await ce.rerank(args.query, candidates.map((c) => passageText(c.passage)), { topN: args.topN });
    const rerankMs = performance.now() - rerankStart;
    const reranked: RerankedPassage[] = results.map((r, i) => ({ rank: i + 1, was: r.index + 1, score: r.score, passage: candidates[r.index]!.passage }));

    const testModel = isGeneratedTestModel(ce.info.config);
    const label = `${choice.source === 'hub' ? choice.model : `model folder ${choice.model}`} (${ce.info.dtype})`;
    console.log(formatCandidates(args.query, candidates, reranked, corpus.length, width));
    console.log();
    console.log(formatReranked(reranked, label, width));
    if (testModel) {
      console.log();
      console.log(GENERATED_MODEL_NOTE);
    }

    const generation = await answer(args.query, reranked, width);
    console.log();
    console.log(formatLatency({ retrievalMs, indexMs, corpusSize: corpus.length, candidates: candidates.length, rerankMs, loadMs: ce.info.loadMs, generation }));
    return generation.kind === 'failed' ? 1 : 0;
  } finally {
    await ce.dispose();
  }
}

async function answer(query: string, reranked: readonly RerankedPassage[], width: number): Promise<GenerationTiming> {
  const apiKey = process.env['OPENAI_API_KEY']?.trim();
  if (!apiKey) return { kind: 'skipped' };
  const started = performance.now();
  try {
    const text = await generateAnswer(
      query,
      reranked.map((r) => ({ id: r.passage.id, text: passageText(r.passage) })),
      { apiKey, baseUrl: process.env['OPENAI_BASE_URL'] },
    );
    const ms = performance.now() - started;
    console.log();
    console.log(`Answer (${ANSWER_MODEL}, from the ${reranked.length} reranked passages):`);
    console.log(wrap(text, width));
    return { kind: 'done', ms };
  } catch (error) {
    const ms = performance.now() - started;
    if (!(error instanceof GenerationError)) throw error;
    console.log();
    console.error(`Answer step failed: ${error.message}`);
    return { kind: 'failed', ms };
  }
}
