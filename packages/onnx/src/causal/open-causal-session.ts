import { defaultModelCacheDir } from '../cache-dir.js';
import { InvalidInputError } from '../errors.js';
import { describe } from '../ranking.js';
import type { CrossEncoderDtype, CrossEncoderLoadOptions } from '../options.js';
import { InProcessSession } from '../worker/in-process-session.js';
import type { ScoringSession } from '../worker/scoring-session.js';
import { WorkerSession } from '../worker/worker-session.js';
import type { WorkerPlan } from '../worker/workers-option.js';
import { kvShape, loadCausalSession, type CausalSessionSpec } from './causal-model.js';
import type { CausalReranker } from './causal-reranker.js';

/**
 * A causal-LM reranker's scoring session: in this thread (`workers: 0`) or in worker threads, each
 * opening its own ONNX session (tokenizing and the chat template stay on the calling thread).
 */
export async function openCausalSession(causal: CausalReranker, options: CrossEncoderLoadOptions, dtype: CrossEncoderDtype, plan: WorkerPlan): Promise<ScoringSession> {
  const spec: CausalSessionSpec = { scoring: causal.scoring, kv: kvShape(causal.config) };
  const source = causal.files.source;
  if (plan.workers === 0) return new InProcessSession(await loadCausalSession(source, { ...options, threads: plan.threads }, dtype, spec));
  return WorkerSession.start(
    plan.workers,
    {
      source,
      dtype,
      threads: plan.threads,
      progress: false,
      ...(options.localFilesOnly !== undefined ? { localFilesOnly: options.localFilesOnly } : {}),
      cacheDir: options.cacheDir ?? defaultModelCacheDir(),
      ...(options.revision !== undefined ? { revision: options.revision } : {}),
      ...(options.sessionOptions !== undefined ? { sessionOptions: options.sessionOptions } : {}),
      causal: spec,
    },
    options.onProgress,
  );
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
