import { parseCallbackConfigArg, type Callbacks } from '@langchain/core/callbacks/manager';
import type { SerializedNotImplemented } from '@langchain/core/load/serializable';
import { ensureConfig, getCallbackManagerForConfig, type RunnableConfig } from '@langchain/core/runnables';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { AsyncLocalStorage } from 'node:async_hooks';

// LangChain keeps the running Runnable's config in async local storage only once something sets the
// storage up (its Node entry points `@langchain/core/context` and `callbacks/dispatch` do). Do the same,
// so a compressor called without callbacks still finds its parent run. A no-op if already set up.
AsyncLocalStorageProviderSingleton.initializeGlobalInstance(new AsyncLocalStorage());

const SERIALIZED: SerializedNotImplemented = { lc: 1, type: 'not_implemented', id: ['crossrank', 'langchain', 'CrossEncoderReranker'] };

export interface TracedStep<T> {
  runName: string;
  inputs: Record<string, unknown>;
  work: (signal: AbortSignal | undefined) => Promise<T>;
  outputs: (result: T, durationMs: number) => Record<string, unknown>;
}

/**
 * Runs one step as a child run of whatever LangChain run called it, so tracing handlers (LangSmith,
 * `streamEvents`, custom handlers) see its start, end or error with their inputs and outputs.
 *
 * Compressors are not Runnables: LangChain hands them `callbacks` (usually `runManager.getChild()`),
 * or nothing at all (ParentDocumentRetriever). With nothing, the config of the Runnable we are
 * running inside (kept in async local storage) supplies the handlers; its abort signal is used
 * either way, so aborting a chain also aborts the scoring.
 */
export async function traceStep<T>(callbacks: Callbacks | undefined, step: TracedStep<T>): Promise<T> {
  const config = resolveConfig(callbacks);
  const manager = await getCallbackManagerForConfig(config);
  const runManager = await manager?.handleChainStart(SERIALIZED, step.inputs, undefined, undefined, undefined, undefined, step.runName);
  const started = performance.now();
  let result: T;
  try {
    result = await step.work(config.signal);
  } catch (error) {
    await runManager?.handleChainError(error);
    throw error;
  }
  await runManager?.handleChainEnd(step.outputs(result, performance.now() - started));
  return result;
}

function resolveConfig(callbacks: Callbacks | undefined): RunnableConfig {
  const implicit = ensureConfig();
  if (callbacks === undefined) return implicit;
  // Explicit callbacks already carry their parent's tags and metadata; only the signal comes from context.
  return { ...parseCallbackConfigArg(callbacks), signal: implicit.signal };
}
