/**
 * The worker thread: loads one ONNX session and runs the batches the calling thread sends, one at
 * a time. Built to dist/worker.mjs and dist/worker.cjs, each self-contained but for ONNX Runtime and its loader (see tsup.config.ts).
 */
import { parentPort } from 'node:worker_threads';
import { loadCausalSession } from '../causal/causal-model.js';
import type { CausalLmSession } from '../causal/causal-session.js';
import { ClassifierSession } from '../classifier-session.js';
import { loadClassifier } from '../model-loader.js';
import type { CrossEncoderLoadOptions } from '../options.js';
import type { PackedBatch } from './packed-batch.js';
import type { FromWorker, ToWorker, WorkerLoadSpec } from './protocol.js';
import { beginWork, endWork } from './exit-guard.js';
import { serializeError } from './serialized-error.js';
import { lowerThreadPriority } from './worker-priority.js';
import { handleEncoderMessage } from '../pair-source/encoder-thread.js';

const port = parentPort;
if (!port) throw new Error('crossrank worker entry must run in a worker thread.');

let session: ClassifierSession | CausalLmSession | undefined;
let exitOnNextRun: number | undefined;
let busy: { buffer: SharedArrayBuffer; index: number } | undefined;

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  // The test hook stands in for a crash in either role: it exits between requests, where exiting is safe.
  if (exitOnNextRun !== undefined && message.type === 'encode') process.exit(exitOnNextRun);
  if (handleEncoderMessage(message, send)) return;
  switch (message.type) {
    case 'load':
      busy = message.busy;
      void load(message.spec);
      return;
    case 'run':
      // The hook stands in for a crash: it exits between runs, where exiting is safe.
      if (exitOnNextRun !== undefined) process.exit(exitOnNextRun);
      void run(message.id, message.batch);
      return;
    case 'close':
      void close();
      return;
    case 'exit-on-next-run':
      exitOnNextRun = message.code;
      return;
    default:
      return;
  }
});

async function load(spec: WorkerLoadSpec): Promise<void> {
  const options: CrossEncoderLoadOptions = {
    threads: spec.threads,
    ...(spec.sessionOptions !== undefined ? { sessionOptions: spec.sessionOptions } : {}),
  };
  // The process is exiting: load nothing (the thread is about to be stopped).
  if (!beginWork(busy!.buffer, busy!.index)) return;
  // Before ONNX Runtime starts its intra-op threads, which inherit this thread's priority.
  lowerThreadPriority(spec.nice);
  try {
    if (spec.causal) {
      // The calling thread already read the causal model's config; only the session loads here.
      session = await loadCausalSession(spec.location, options, spec.causal);
      send({ type: 'loaded', config: {}, wantsTokenTypes: false });
      return;
    }
    const model = await loadClassifier(spec.location, options);
    session = new ClassifierSession(model, 0);
    const config = JSON.parse(JSON.stringify((model as unknown as { config: unknown }).config ?? {})) as Record<string, unknown>;
    send({ type: 'loaded', config, wantsTokenTypes: session.wantsTokenTypes });
  } catch (error) {
    send({ type: 'load-failed', error: serializeError(error) });
    // Deno's worker_threads port has no close(); the calling thread ends the worker either way.
    port!.close?.();
  } finally {
    endWork(busy!.buffer, busy!.index);
  }
}

async function run(id: number, batch: PackedBatch): Promise<void> {
  // The process is exiting: its result would never be read, and the thread is about to be stopped.
  if (!beginWork(busy!.buffer, busy!.index)) return;
  try {
    if (!session) throw new Error('no session is loaded');
    const scores = await session.scorePacked(batch);
    send({ type: 'scored', id, scores, numLogits: session.numLogits ?? 1 }, [scores.buffer as ArrayBuffer]);
  } catch (error) {
    send({ type: 'run-failed', id, error: serializeError(error) });
  } finally {
    endWork(busy!.buffer, busy!.index);
  }
}

async function close(): Promise<void> {
  try {
    await session?.dispose();
  } finally {
    session = undefined;
    // Idle and released: ending the thread here is safe (terminate() during a run is not).
    process.exit(0);
  }
}
