import { InvalidInputError } from '@crossrank/core';

// The same registry symbol @crossrank/onnx's worker session answers to; shared by name so this package
// needs no dependency on the engine.
const EXIT_ON_NEXT_RUN = Symbol.for('crossrank.worker.exitOnNextRun');

/**
 * Test hook: makes one of `encoder`'s worker threads exit with `code` when it receives its next
 * batch, as a crashed worker would (the call running that batch then fails with
 * `WorkerFailedError`). Only for a `CrossEncoder` (@crossrank/onnx) loaded with worker threads.
 */
export function exitWorkerOnNextRun(encoder: object, code = 1): void {
  const session = (encoder as { session?: Record<symbol, unknown> }).session;
  const hook = session?.[EXIT_ON_NEXT_RUN];
  if (typeof hook !== 'function') throw new InvalidInputError('exitWorkerOnNextRun needs a CrossEncoder loaded with worker threads (workers >= 1).');
  (hook as (code: number) => void).call(session, code);
}
