import type { Reranker } from '@crossrank/core';
import { createRerankServer } from './create-rerank-server.js';
import { jsonLines } from './request-log.js';
import type { ServeArgs } from './serve-args.js';

export interface ServeIO {
  stdout: { write(chunk: string): unknown };
  /** Where SIGTERM and SIGINT come from (the process; a test may pass its own emitter). */
  signals: { once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown };
  env: NodeJS.ProcessEnv;
}

/** Loads the model named on the command line; injectable so the command can be tested without one. */
export type ServeLoader = (args: ServeArgs) => Promise<{ reranker: Reranker; dispose: () => unknown; rawScores: boolean }>;

/**
 * `crossrank serve`: listens at once (so `/health` answers while the model loads), loads the model
 * (`/ready` turns 200), serves until SIGTERM or SIGINT, then stops accepting, finishes the requests
 * under way and returns (exit 0). Every line on stdout is JSON: events and one line per request.
 */
export async function runServe(args: ServeArgs, io: ServeIO, load: ServeLoader): Promise<void> {
  const event = (fields: Record<string, unknown>) => io.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
  const loading = load(args);
  // Whether scores are raw is known only once the model's config is read, so the server asks late.
  let rawScores = false;
  const server = createRerankServer({
    reranker: loading.then((loaded) => {
      rawScores = loaded.rawScores;
      return loaded.reranker;
    }),
    get rawScores() {
      return rawScores;
    },
    model: args.model,
    apiKey: args.apiKeyEnv === undefined ? undefined : io.env[args.apiKeyEnv],
    concurrency: args.concurrency,
    maxQueue: args.maxQueue,
    limits: {
      ...(args.maxDocuments === undefined ? {} : { maxDocuments: args.maxDocuments }),
      ...(args.maxDocumentChars === undefined ? {} : { maxDocumentChars: args.maxDocumentChars }),
      ...(args.maxBodyBytes === undefined ? {} : { maxBodyBytes: args.maxBodyBytes }),
    },
    log: jsonLines((line) => io.stdout.write(line)),
  });
  const stop = new Promise<string>((resolve) => {
    io.signals.once('SIGTERM', () => resolve('SIGTERM'));
    io.signals.once('SIGINT', () => resolve('SIGINT'));
  });
  const { url } = await server.listen(args.port, args.host);
  event({ event: 'listening', url, model: args.model, auth: args.apiKeyEnv !== undefined, maxQueue: args.maxQueue, concurrency: args.concurrency });
  let loaded: Awaited<typeof loading> | undefined;
  try {
    loaded = await Promise.race([loading, stop.then(() => undefined)]);
    if (loaded) event({ event: 'ready', model: args.model, scores: loaded.rawScores ? 'sigmoid of the raw outputs' : 'as the model activates them' });
    const signal = await stop;
    event({ event: 'draining', signal });
  } catch (error) {
    await server.close();
    throw error;
  }
  await server.close();
  // Stopped before the model finished loading: wait for it, so its worker threads can be freed.
  await (loaded ?? (await loading.catch(() => undefined)))?.dispose();
  event({ event: 'stopped' });
}
