/**
 * Reranks a few passages with a hosted rerank API (Cohere by default) or a self-hosted server, and
 * prints the ranking.
 *
 *   COHERE_API_KEY=... pnpm --filter @crossrank/examples api
 *   JINA_API_KEY=...   pnpm --filter @crossrank/examples api -- --backend jina
 *   pnpm --filter @crossrank/examples api -- --backend tei --base-url http://localhost:8080
 *   pnpm --filter @crossrank/examples api -- --base-url http://vllm:8000 --model BAAI/bge-reranker-v2-m3
 */
import { MissingApiKeyError } from '@crossrank/api';
import { CrossrankError } from '@crossrank/core';
import { parseApiArgs, USAGE } from './args.js';
import { createApiReranker, describeReranker } from './backends.js';
import { UsageError } from './errors.js';
import { PASSAGES } from './passages.js';
import { rankingLines } from './print.js';

try {
  const args = parseApiArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
  } else {
    const reranker = createApiReranker(args);
    console.log(`Query: ${args.query}\n`);
    const started = performance.now();
    // The whole example: one call, the same contract as the local CrossEncoder.
    const results = await reranker.rerank(args.query, PASSAGES, { topN: args.topN });
    const ms = (performance.now() - started).toFixed(0);
    console.log(`${results.length} of ${PASSAGES.length} passages, ranked by ${describeReranker(reranker)} in ${ms} ms:`);
    for (const line of rankingLines(results, PASSAGES)) console.log(line);
  }
} catch (error) {
  process.exitCode = 1;
  if (error instanceof MissingApiKeyError) {
    const [first, ...others] = error.envVars;
    const alternatives = others.length > 0 ? ` (or ${others.join(' or ')})` : '';
    console.error(
      `${error.provider}'s hosted API needs an API key: set ${first}${alternatives}, e.g. export ${first}=<your key>, then run this again. ` +
        'Or point --base-url at a self-hosted server.',
    );
  } else if (error instanceof UsageError) {
    console.error(`${error.message} (--help lists the options)`);
  } else if (error instanceof CrossrankError) {
    // Provider errors already say what failed and what to do (HTTP status, timeout, unreachable server).
    console.error(error.message);
  } else {
    throw error;
  }
}
