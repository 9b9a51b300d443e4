import type { Worker } from 'node:worker_threads';
import { abortError } from '../ranking.js';
import type { ModelLocation } from '../model-loader.js';
import type { EncodedPair } from '../pair-encoder.js';
import { launchWorker, unexpectedExit } from '../worker/launch-worker.js';
import { EXIT_ON_NEXT_RUN } from '../worker/worker-session.js';
import type { FromWorker, ToWorker } from '../worker/protocol.js';
import { rebuildError } from '../worker/serialized-error.js';
import { fromWire, type EncodeRequest, type EncoderInfo, type WindowPlan } from './encode-request.js';
import type { EncoderOptions } from './model-encoder.js';
import type { PairSource } from './pair-source.js';

type Reply = Extract<FromWorker, { type: 'encoded' | 'windows-planned' | 'encode-failed' }>;

interface Pending {
  settle(reply: Reply): void;
  fail(error: unknown): void;
}

/**
 * Tokenizing in the encoder thread: one worker thread per `CrossEncoder` holds the tokenizer (its
 * `tokenizer.json` is parsed there, not on the calling thread) and turns each request into ids,
 * sent back as transferred arrays. Requests are answered in order. It runs no ONNX Runtime code,
 * so it can end at any time; it is unref'd while idle, and a thread that dies fails the requests
 * it held with `WorkerFailedError` and is started again by the next request.
 */
export class ThreadPairSource implements PairSource {
  readonly info: EncoderInfo;
  private worker: Worker | undefined;
  private opening: Promise<Worker> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(
    info: EncoderInfo,
    worker: Worker,
    private readonly location: ModelLocation,
    private readonly options: EncoderOptions,
    private readonly nice: number,
  ) {
    this.info = info;
    this.adopt(worker);
  }

  /** `nice`: the niceness the thread adds to its own priority (`workerNice`, see worker-priority.ts). */
  static async open(location: ModelLocation, options: EncoderOptions, nice: number): Promise<ThreadPairSource> {
    const { worker, info } = await openEncoderThread(location, options, nice);
    return new ThreadPairSource(info, worker, location, options, nice);
  }

  async encode(request: EncodeRequest, signal?: AbortSignal): Promise<EncodedPair[]> {
    const reply = await this.request((id) => ({ type: 'encode', id, request }), signal);
    if (reply.type !== 'encoded') throw new Error(`unexpected reply ${reply.type}`);
    return fromWire(reply.wire);
  }

  async planWindows(query: string, documents: readonly string[], signal?: AbortSignal): Promise<WindowPlan> {
    const reply = await this.request((id) => ({ type: 'plan-windows', id, query, documents }), signal);
    if (reply.type !== 'windows-planned') throw new Error(`unexpected reply ${reply.type}`);
    return reply.plan;
  }

  /** Test hook (the session's, see worker-session.ts): the encoder thread exits with `code` on its next request. */
  [EXIT_ON_NEXT_RUN](code: number): void {
    this.worker?.postMessage({ type: 'exit-on-next-run', code } satisfies ToWorker);
  }

  /** Ends the thread once it has answered what it was asked (calls are over by then: `CrossEncoder.dispose` waits for them). */
  async dispose(): Promise<void> {
    this.closed = true;
    const worker = this.worker ?? (await this.opening?.catch(() => undefined));
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage({ type: 'close' } satisfies ToWorker);
    await exited;
  }

  private async request(message: (id: number) => ToWorker, signal: AbortSignal | undefined): Promise<Reply> {
    if (signal?.aborted) throw abortError(signal);
    const worker = this.worker ?? (await (this.opening ??= this.reopen()));
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const onAbort = () => {
        // The thread finishes the request (bounded: one chunk); its answer is dropped.
        done();
        reject(abortError(signal!));
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        if (this.pending.delete(id) && this.pending.size === 0) this.worker?.unref();
      };
      this.pending.set(id, {
        settle: (reply) => {
          done();
          if (reply.type === 'encode-failed') reject(rebuildError(reply.error));
          else resolve(reply);
        },
        fail: (error) => {
          done();
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.ref();
      worker.postMessage(message(id));
    });
  }

  /** A new thread after the last one died: opens the same files with the same options. */
  private async reopen(): Promise<Worker> {
    try {
      const { worker } = await openEncoderThread(this.location, this.options, this.nice);
      if (this.closed) {
        worker.postMessage({ type: 'close' } satisfies ToWorker);
        return worker;
      }
      this.adopt(worker);
      return worker;
    } finally {
      this.opening = undefined;
    }
  }

  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.unref();
    let lastError: unknown;
    worker.on('error', (error) => (lastError = error));
    worker.on('message', (message: FromWorker) => {
      if (message.type !== 'encoded' && message.type !== 'windows-planned' && message.type !== 'encode-failed') return;
      this.pending.get(message.id)?.settle(message);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.closed) return;
      const error = unexpectedExit(code, false, lastError);
      for (const pending of [...this.pending.values()]) pending.fail(error);
    });
  }
}

/** Starts an encoder thread and opens the model's tokenizer side in it. */
async function openEncoderThread(location: ModelLocation, options: EncoderOptions, nice: number): Promise<{ worker: Worker; info: EncoderInfo }> {
  const worker = launchWorker();
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const onError = (error: unknown) => (lastError = error);
    const onExit = (code: number) => reject(unexpectedExit(code, true, lastError));
    const onMessage = (message: FromWorker) => {
      if (message.type !== 'encoder-opened' && message.type !== 'encoder-failed') return;
      worker.off('message', onMessage).off('exit', onExit).off('error', onError);
      if (message.type === 'encoder-opened') return resolve({ worker, info: message.info });
      worker.postMessage({ type: 'close' } satisfies ToWorker);
      reject(rebuildError(message.error));
    };
    worker.on('message', onMessage).on('exit', onExit).on('error', onError);
    worker.postMessage({ type: 'open-encoder', location, options, nice } satisfies ToWorker);
  });
}
