import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Serialized } from '@langchain/core/load/serializable';
import type { ChainValues } from '@langchain/core/utils/types';

export interface RecordedRun {
  runId: string;
  parentRunId: string | undefined;
  name: string | undefined;
  inputs: ChainValues;
  outputs?: ChainValues;
}

/** Records chain runs and retriever runs by id, as a tracer would see them. */
export class RecordingHandler extends BaseCallbackHandler {
  name = 'recording_handler';
  // LangChain runs handlers in the background by default; a test must see every event before it asserts.
  override awaitHandlers = true;
  readonly runs = new Map<string, RecordedRun>();

  override handleChainStart(_chain: Serialized, inputs: ChainValues, runId: string, parentRunId?: string, _tags?: string[], _metadata?: Record<string, unknown>, _runType?: string, runName?: string): void {
    this.runs.set(runId, { runId, parentRunId, name: runName, inputs });
  }

  override handleChainEnd(outputs: ChainValues, runId: string): void {
    this.runs.get(runId)!.outputs = outputs;
  }

  override handleRetrieverStart(retriever: Serialized, query: string, runId: string, parentRunId?: string, _tags?: string[], _metadata?: Record<string, unknown>, name?: string): void {
    this.runs.set(runId, { runId, parentRunId, name: name ?? retriever.id.at(-1), inputs: { query } });
  }

  named(name: string): RecordedRun[] {
    return [...this.runs.values()].filter((run) => run.name === name);
  }
}
