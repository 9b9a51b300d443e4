/**
 * The worker thread: loads one ONNX session and runs the batches the calling thread sends, one at
 * a time. Built to dist/worker.js and dist/worker.cjs (see worker-script.ts).
 */
import { parentPort } from 'node:worker_threads';
import { loadCausalSession } from '../causal/causal-model.js';
import type { CausalLmSession } from '../causal/causal-session.js';
import { ClassifierSession } from '../classifier-session.js';
import { loadClassifier } from '../model-loader.js';
import type { CrossEncoderLoadOptions } from '../options.js';
import type { PackedBatch } from './packed-batch.js';
import type { FromWorker, ToWorker, WorkerLoadSpec } from './protocol.js';
import { serializeError } from './serialized-error.js';

const port = parentPort;
if (!port) throw new Error('crossrank worker entry must run in a worker thread.');

let session: ClassifierSession | CausalLmSession | undefined;
let exitOnNextRun: number | undefined;

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'load':
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
  }
});

async function load(spec: WorkerLoadSpec): Promise<void> {
  const options: CrossEncoderLoadOptions = {
    threads: spec.threads,
    ...(spec.localFilesOnly !== undefined ? { localFilesOnly: spec.localFilesOnly } : {}),
    ...(spec.cacheDir !== undefined ? { cacheDir: spec.cacheDir } : {}),
    ...(spec.revision !== undefined ? { revision: spec.revision } : {}),
    ...(spec.sessionOptions !== undefined ? { sessionOptions: spec.sessionOptions } : {}),
    ...(spec.progress ? { onProgress: (progress) => send({ type: 'progress', progress: JSON.parse(JSON.stringify(progress)) }) } : {}),
  };
  try {
    if (spec.causal) {
      // The calling thread already read the causal model's config; only the session loads here.
      session = await loadCausalSession(spec.source, options, spec.dtype, spec.causal);
      send({ type: 'loaded', config: {}, wantsTokenTypes: false });
      return;
    }
    const model = await loadClassifier(spec.source, options, spec.dtype);
    session = new ClassifierSession(model, 0);
    const config = JSON.parse(JSON.stringify((model as unknown as { config: unknown }).config ?? {})) as Record<string, unknown>;
    send({ type: 'loaded', config, wantsTokenTypes: session.wantsTokenTypes });
  } catch (error) {
    send({ type: 'load-failed', error: serializeError(error) });
    port!.close();
  }
}

async function run(id: number, batch: PackedBatch): Promise<void> {
  try {
    if (!session) throw new Error('no session is loaded');
    const scores = await session.scorePacked(batch);
    send({ type: 'scored', id, scores, numLogits: session.numLogits ?? 1 }, [scores.buffer as ArrayBuffer]);
  } catch (error) {
    send({ type: 'run-failed', id, error: serializeError(error) });
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
