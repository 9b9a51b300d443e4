/**
 * Cohere first, a local cross-encoder when Cohere fails (or has no key): one `FallbackReranker`,
 * used like any other `Reranker`. Prints which one served and the ranking.
 *
 *   COHERE_API_KEY=... pnpm --filter @crossrank/examples fallback
 *   pnpm --filter @crossrank/examples fallback -- --model ./my-model-folder   # no key: the local model serves
 */
import { CohereReranker, MissingApiKeyError } from '@crossrank/api';
import { AllRerankersFailedError, CrossrankError, FallbackReranker, type FallbackEvent } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { UsageError } from '../api/errors.js';
import { PASSAGES } from '../api/passages.js';
import { rankingLines } from '../api/print.js';
import { parseFallbackArgs, USAGE } from './args.js';
import { LazyReranker } from './lazy-reranker.js';

try {
  const args = parseFallbackArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
  } else {
    // Both are created on first use: no key only fails when Cohere is asked (so the chain moves on),
    // and the local model is only loaded once it is needed.
    const cohere = new LazyReranker(
      'Cohere',
      () =>
        new CohereReranker({
          // A --base-url server gets RERANK_API_KEY; core never sends it COHERE_API_KEY.
          ...(args.baseUrl !== undefined && { baseUrl: args.baseUrl }),
          ...(args.baseUrl !== undefined && process.env['RERANK_API_KEY'] && { apiKey: process.env['RERANK_API_KEY'] }),
          // A standby is waiting: one quick retry instead of the default three with growing backoff.
          maxRetries: 1,
          timeoutMs: 10_000,
        }),
    );
    const local = new LazyReranker(`local cross-encoder ${args.model}`, async () => {
      console.log(`Loading the local cross-encoder ${args.model} ...`);
      return CrossEncoder.load(args.model);
    });
    const chain = [cohere, local];
    const reranker = new FallbackReranker(chain, { onFallback: (event) => console.log(fallbackNotice(event, chain)) });

    try {
      console.log(`Query: ${args.query}\n`);
      const { results, servedBy } = await reranker.rerankWithSource(args.query, PASSAGES, { topN: args.topN });
      console.log(`Served by: ${chain[servedBy]!.label}${servedBy > 0 ? ' (fallback)' : ''}`);
      for (const line of rankingLines(results, PASSAGES)) console.log(line);
      const encoder = await local.created();
      if (encoder?.info.config['crossrank_test_model']) {
        console.log('Note: the local model is a generated test model (random weights), so its scores mean nothing.');
      }
    } catch (error) {
      if (!(error instanceof AllRerankersFailedError)) throw error;
      process.exitCode = 1;
      console.error(['Every reranker failed:', ...error.errors.map((e, i) => `  ${chain[i]!.label}: ${e instanceof Error ? e.message : String(e)}`)].join('\n'));
    } finally {
      await (await local.created())?.dispose();
    }
  }
} catch (error) {
  process.exitCode = 1;
  if (error instanceof UsageError) {
    console.error(`${error.message} (--help lists the options)`);
  } else if (error instanceof CrossrankError) {
    console.error(error.message);
  } else {
    throw error;
  }
}

function fallbackNotice({ failed, error, next }: FallbackEvent, chain: readonly { label: string }[]): string {
  const nextLabel = chain[next]!.label;
  if (error instanceof MissingApiKeyError) {
    return `${chain[failed]!.label} skipped: ${error.envVars.join(' / ')} is not set. Using the ${nextLabel}.\n`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `${chain[failed]!.label} failed: ${reason}\nFalling back to the ${nextLabel}.\n`;
}
