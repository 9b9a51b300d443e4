import { InvalidInputError } from '../errors.js';
import { describe } from '../ranking.js';
import type { CrossEncoderLoadOptions } from '../options.js';
import { InProcessSession } from '../worker/in-process-session.js';
import type { ScoringSession } from '../worker/scoring-session.js';
import { workerLoadSpec } from '../worker/protocol.js';
import { WorkerSession } from '../worker/worker-session.js';
import type { WorkerPlan } from '../worker/workers-option.js';
import type { ModelLocation } from '../model-loader.js';
import type { CausalEncoderInfo } from '../pair-source/encode-request.js';
import { kvShape, loadCausalSession, type CausalSessionSpec } from './causal-model.js';

/**
 * A causal-LM reranker's scoring session: in this thread (`workers: 0`) or in worker threads, each
 * opening its own ONNX session from the files the calling thread located (workers never download;
 * tokenizing and the chat template run where the pair source runs).
 */
export async function openCausalSession(causal: CausalEncoderInfo, location: ModelLocation, options: CrossEncoderLoadOptions, plan: WorkerPlan): Promise<ScoringSession> {
  const spec: CausalSessionSpec = { scoring: causal.scoring, kv: kvShape(causal.config) };
  if (plan.workers === 0) return new InProcessSession(await loadCausalSession(location, { ...options, threads: plan.threads }, spec));
  return WorkerSession.start(plan.workers, workerLoadSpec(location, options, plan, spec));
}

/** A call's `instruction` / `promptName`, checked (they are read before the rest of the options are copied). */
export function callInstruction(options: unknown, where: string): { instruction?: string; promptName?: string } {
  if (options === null || typeof options !== 'object') return {};
  const { instruction, promptName } = options as { instruction?: unknown; promptName?: unknown };
  for (const [key, value] of [['instruction', instruction], ['promptName', promptName]] as const) {
    if (value !== undefined && typeof value !== 'string') {
      throw new InvalidInputError(`${where}.${key} must be a string, got ${describe(value)}.`);
    }
  }
  return { ...(instruction !== undefined ? { instruction: instruction as string } : {}), ...(promptName !== undefined ? { promptName: promptName as string } : {}) };
}

/**
 * A call's options less `instruction` and `promptName` (read by `callInstruction` first), for the
 * contract's checks, which refuse keys `RerankOptions` does not have. A copy: the caller's object
 * is not changed. Anything but an object goes through as is, for those checks to report.
 */
export function withoutCallInstruction<T>(options: T): T {
  if (options === null || typeof options !== 'object' || !('instruction' in options || 'promptName' in options)) return options;
  const { instruction: _instruction, promptName: _promptName, ...rest } = options as Record<string, unknown>;
  return rest as T;
}
