import type { CrossEncoder } from '../cross-encoder.js';
import { InvalidInputError } from '../errors.js';
import { EXIT_ON_NEXT_RUN } from '../worker/worker-session.js';

/**
 * Test hook: makes one of `encoder`'s worker threads exit with `code` when it receives its next
 * batch, as a crashed worker would (the call running that batch then fails with
 * `WorkerFailedError`). Only for a CrossEncoder loaded with worker threads.
 */
export function exitWorkerOnNextRun(encoder: CrossEncoder, code = 1): void {
  const session = (encoder as unknown as { session?: Record<symbol, unknown> }).session;
  const hook = session?.[EXIT_ON_NEXT_RUN];
  if (typeof hook !== 'function') throw new InvalidInputError('exitWorkerOnNextRun needs a CrossEncoder loaded with worker threads (workers >= 1).');
  (hook as (code: number) => void).call(session, code);
}
