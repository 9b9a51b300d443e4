/**
 * RAG with the Vercel AI SDK: retrieve 20 passages from an in-memory store, rerank() them to 3 with a
 * local cross-encoder (crossrank's reranking model), then generateText from those 3.
 *
 *   pnpm --filter @crossrank/examples ai-sdk [-- --model <hub id or folder>] [--dtype fp32] [--query "..."] [--instruction "..."]
 *
 * `--model` also takes a causal-LM reranker (Qwen3-Reranker and its kind); `--instruction` is sent
 * per call as `providerOptions.crossrank.instruction` (the chat's system message).
 *
 * With OPENAI_API_KEY set, gpt-4o-mini answers; without it, the AI SDK's mock language model stands in
 * (and says so). Needs Node >= 22, as `ai` 7 does.
 */
import { crossrank } from '@crossrank/ai-sdk';
import { CrossrankError } from '@crossrank/core';
import { generateText, rerank } from 'ai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { answerModel } from './answer-model.js';
import { loadStore } from './store.js';

// `pnpm <script> -- --model x` passes the `--` through; npm and a direct call do not.
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    model: { type: 'string', default: 'Xenova/ms-marco-MiniLM-L-6-v2' },
    dtype: { type: 'string', default: 'q8' },
    query: { type: 'string', default: 'How does Docker networking work?' },
    instruction: { type: 'string' },
  },
});
const modelId = values.model!;
const query = values.query!;

const store = loadStore();
const reranker = crossrank.rerankingModel(modelId, { dtype: values.dtype as 'q8' });
try {
  console.log(`Query: ${query}\nReranker: ${modelId} (${values.dtype})\n`);

  const candidates = store.search(query, 20);
  console.log(`Retrieved ${candidates.length} of ${store.passages.length} passages (BM25, in memory).`);

  // The step this example is about: 20 candidates in, the best 3 out. The passages are objects, so
  // name the fields the cross-encoder should read.
  const { rerankedDocuments, ranking, providerMetadata } = await rerank({
    model: reranker,
    query,
    documents: candidates,
    topN: 3,
    providerOptions: { crossrank: { fields: ['title', 'text'], ...(values.instruction !== undefined ? { instruction: values.instruction } : {}) } },
  });
  const { loadMs, scoreMs } = providerMetadata?.crossrank as { loadMs: number; scoreMs: number };
  console.log(`Reranked to ${ranking.length} in ${scoreMs.toFixed(0)} ms (model load ${loadMs.toFixed(0)} ms).`);

  if (isGeneratedTestModel(modelId)) {
    // Random weights rank nothing: show that the pipeline ran, never the scores as if they were results.
    console.log('\nNote: this is a generated test model (random weights), so its order and scores mean nothing; scores are not shown.');
    rerankedDocuments.forEach((document, i) => console.log(`${i + 1}. ${document.title}`));
  } else {
    ranking.forEach(({ document, score }, i) => console.log(`${i + 1}. [${score.toFixed(4)}] ${document.title}`));
  }

  const { model, label } = answerModel();
  const { text } = await generateText({
    model,
    system: `Answer the question using only these passages. Say so if they do not contain the answer.\n\n${rerankedDocuments
      .map((p, i) => `[${i + 1}] ${p.title}: ${p.text}`)
      .join('\n')}`,
    prompt: query,
  });
  console.log(`\n${label}\n${text}`);
} catch (error) {
  // crossrank's errors say what to do (e.g. a model that cannot be found); print them plainly.
  if (!(error instanceof CrossrankError)) throw error;
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await reranker.dispose();
}

/** Models from `@crossrank/testing` mark their config.json: real architecture, random weights. */
function isGeneratedTestModel(folder: string): boolean {
  const config = join(folder, 'config.json');
  if (!existsSync(config)) return false;
  try {
    return Boolean((JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>)['crossrank_test_model']);
  } catch {
    return false;
  }
}
