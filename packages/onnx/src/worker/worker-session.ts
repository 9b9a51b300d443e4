import type { Worker } from 'node:worker_threads';
import { DisposedError, InvalidInputError, WorkerFailedError } from '../errors.js';
import { BusyFlags, guardExit, unguardExit } from './exit-guard.js';
import { JobQueue, type Job } from './job-queue.js';
import { batchBuffers, type PackedBatch } from './packed-batch.js';
import type { FromWorker, ToWorker, WorkerLoadSpec } from './protocol.js';
import type { ScoringSession } from './scoring-session.js';
import { rebuildError } from './serialized-error.js';
import { launchWorker, messageOf, unexpectedExit } from './launch-worker.js';

/** Test hook (used by `@crossrank/testing`): the next batch a worker receives makes it exit. */
export const EXIT_ON_NEXT_RUN = Symbol.for('crossrank.worker.exitOnNextRun');

interface Slot {
  readonly worker: Worker;
  state: 'starting' | 'idle' | 'busy' | 'closing' | 'dead';
  /** The batch it is running, while busy. */
  job: Job | undefined;
  runId: number;
  /** Settles when it has loaded (or failed to). */
  readonly started: Promise<void>;
  readonly exited: Promise<void>;
}

/**
 * Forward passes in worker threads, each holding its own ONNX session. Batches wait in one queue in
 * arrival order and go to whichever worker is free. A worker that dies fails the batch it was
 * running with `WorkerFailedError` and is replaced. Workers are unref'd while idle, so they never
 * keep the process alive, and are stopped cooperatively (never `terminate()`d mid-run).
 */
export class WorkerSession implements ScoringSession {
  readonly parallelism: number;
  wantsTokenTypes = false;
  numLogits: number | undefined;
  /** The model's config.json, as the first worker loaded it. */
  config: Record<string, unknown> = {};
  private readonly slots: Slot[] = [];
  private readonly queue = new JobQueue();
  private readonly spec: WorkerLoadSpec;
  private nextRunId = 1;
  private closing = false;
  private idleWaiters: Array<() => void> = [];
  /** Holds the process's exit until no worker is inside ONNX Runtime (see exit-guard.ts). */
  private readonly busy: BusyFlags;

  private constructor(count: number, spec: WorkerLoadSpec) {
    this.parallelism = count;
    this.busy = new BusyFlags(count);
    this.spec = spec;
  }

  /**
   * Starts `count` workers and loads the model in each: the first alone (a file ONNX Runtime
   * rejects then fails one worker, not all), then the others side by side. Rejects with the first worker's load error.
   */
  static async start(count: number, spec: WorkerLoadSpec): Promise<WorkerSession> {
    try {
      structuredClone(spec);
    } catch (error) {
      throw new InvalidInputError(`The load options cannot be sent to a worker thread (${messageOf(error)}); pass plain data in options.sessionOptions.`);
    }
    const session = new WorkerSession(count, spec);
    guardExit(session.busy);
    try {
      await session.spawn(0);
      const rest = Array.from({ length: count - 1 }, (_, i) => session.spawn(i + 1));
      await Promise.all(rest.map((started) => started.catch(() => undefined)));
      await Promise.all(rest);
    } catch (error) {
      await session.dispose();
      throw error;
    }
    return session;
  }

  score(batch: PackedBatch, signal?: AbortSignal): Promise<Float32Array> {
    if (this.closing) return Promise.reject(new DisposedError('This CrossEncoder was disposed; load a new one with CrossEncoder.load().'));
    const scored = this.queue.add(batch, signal);
    this.pump();
    return scored;
  }

  /** Waits for accepted batches, then asks every worker to release its session and end. */
  async dispose(): Promise<void> {
    this.closing = true;
    await new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
    for (const slot of this.slots) {
      if (slot.state !== 'idle') continue;
      slot.state = 'closing';
      // Held until it has released its session and ended, so `await dispose()` completes.
      slot.worker.ref();
      this.post(slot, { type: 'close' });
    }
    await Promise.all(this.slots.map((slot) => slot.exited));
    unguardExit(this.busy);
  }

  [EXIT_ON_NEXT_RUN](code: number): void {
    const slot = this.slots.find((s) => s.state === 'idle' || s.state === 'busy');
    if (!slot) throw new InvalidInputError('No worker is running to take the test hook.');
    this.post(slot, { type: 'exit-on-next-run', code });
  }

  /** Starts (or restarts) the worker in slot `index` and loads the model in it. */
  private spawn(index: number): Promise<void> {
    let worker: Worker;
    try {
      worker = launchWorker();
    } catch (error) {
      return Promise.reject(error);
    }
    let loaded!: () => void;
    let failed!: (error: unknown) => void;
    const started = new Promise<void>((resolve, reject) => ((loaded = resolve), (failed = reject)));
    let exited!: () => void;
    const slot: Slot = { worker, state: 'starting', job: undefined, runId: 0, started, exited: new Promise<void>((resolve) => (exited = resolve)) };
    this.slots[index] = slot;
    let lastError: unknown;

    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'loaded':
          if (index === 0 || Object.keys(this.config).length === 0) this.config = message.config;
          this.wantsTokenTypes = message.wantsTokenTypes;
          this.becomeIdle(slot);
          loaded();
          return;
        case 'load-failed':
          slot.state = 'dead';
          failed(rebuildError(message.error));
          return;
        case 'scored':
        case 'run-failed': {
          const job = slot.job;
          if (message.id !== slot.runId || !job) return;
          if (message.type === 'scored') {
            this.numLogits = message.numLogits;
            job.resolve(message.scores);
          } else {
            job.reject(rebuildError(message.error));
          }
          this.becomeIdle(slot);
          return;
        }
      }
    });
    worker.on('error', (error) => (lastError = error));
    worker.on('exit', (code) => {
      this.busy.release(index);
      exited();
      const expected = slot.state === 'closing' || slot.state === 'dead';
      const wasStarting = slot.state === 'starting';
      const job = slot.job;
      slot.state = 'dead';
      slot.job = undefined;
      if (!expected) {
        const error = unexpectedExit(code, wasStarting, lastError);
        failed(error);
        job?.reject(error);
      }
      // A worker that died while loading is not restarted here (it would likely die again);
      // the next call tries once more.
      this.pump(!wasStarting);
      this.checkIdle();
    });
    worker.ref();
    this.post(slot, { type: 'load', spec: this.spec, busy: { buffer: this.busy.buffer, index } });
    return started;
  }

  private becomeIdle(slot: Slot): void {
    slot.state = 'idle';
    slot.job = undefined;
    slot.worker.unref();
    this.pump();
    this.checkIdle();
  }

  /** Hands queued batches to idle workers; replaces dead workers while batches wait. */
  private pump(respawn = true): void {
    for (const slot of this.slots) {
      if (slot.state !== 'idle') continue;
      let job = this.queue.take();
      while (job && !job.pending) job = this.queue.take();
      if (!job) break;
      slot.state = 'busy';
      slot.job = job;
      slot.runId = this.nextRunId++;
      slot.worker.ref();
      this.post(slot, { type: 'run', id: slot.runId, batch: job.batch }, batchBuffers(job.batch));
    }
    if (this.queue.size === 0) return;
    if (this.closing || !respawn) {
      if (!this.hasLiveWorker()) this.queue.rejectAll(new WorkerFailedError('No crossrank worker thread is running to score this batch; the last one failed.'));
      return;
    }
    this.slots.forEach((slot, index) => {
      if (slot.state !== 'dead') return;
      this.spawn(index).catch((error: unknown) => {
        // A replacement that cannot load fails what waits for it, instead of leaving it waiting.
        if (!this.hasLiveWorker()) this.queue.rejectAll(error);
      });
    });
  }

  private post(slot: Slot, message: ToWorker, transfer: ArrayBuffer[] = []): void {
    try {
      slot.worker.postMessage(message, transfer);
    } catch (error) {
      const job = slot.job;
      if (message.type === 'run' && job) {
        job.reject(new WorkerFailedError(`Could not send a batch to a crossrank worker thread: ${messageOf(error)}`, undefined, { cause: error }));
        this.becomeIdle(slot);
      }
    }
  }

  private hasLiveWorker(): boolean {
    return this.slots.some((s) => s.state === 'idle' || s.state === 'busy' || s.state === 'starting');
  }

  private checkIdle(): void {
    if (this.queue.size > 0 || this.slots.some((s) => s.state === 'busy' || s.state === 'starting')) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
