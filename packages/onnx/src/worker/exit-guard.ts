/**
 * Lets the process exit while workers score. When the process ends (`process.exit()`, an uncaught
 * exception, the end of the event loop) Node stops every worker thread; one stopped while ONNX
 * Runtime runs a forward pass aborts the whole process (`terminate called after throwing an
 * instance of 'Napi::Error'`, SIGABRT, exit code 134) instead of exiting with the app's code.
 *
 * The 'exit' event is the last point where JavaScript runs before that, and it cannot await. So
 * the workers and the calling thread share flags in a SharedArrayBuffer: a worker raises its busy
 * flag before a forward pass (or a model load) and lowers it after; on exit the calling thread
 * raises `exiting` and blocks in `Atomics.wait` until every busy flag is down. A worker that sees
 * `exiting` starts nothing new. The raise-then-check on both sides (sequentially consistent
 * atomics) means either the worker sees `exiting` or the calling thread sees it busy. Exit is
 * delayed by at most the pass that is running.
 */

/** Index 0: exiting; index 1 + n: worker slot n is busy. */
const EXITING = 0;

/** Longest the exit hook blocks for one worker, so a stuck pass cannot hang the process forever. */
export const EXIT_WAIT_LIMIT_MS = 60_000;

/** The shared flags of one WorkerSession: created on the calling thread, sent to each worker. */
export class BusyFlags {
  readonly buffer: SharedArrayBuffer;
  private readonly flags: Int32Array;

  constructor(slots: number) {
    this.buffer = new SharedArrayBuffer(4 * (slots + 1));
    this.flags = new Int32Array(this.buffer);
  }

  /** Calling thread, in the exit hook: stop new work, then wait until no worker is in ONNX Runtime. */
  waitUntilIdle(limitMs = EXIT_WAIT_LIMIT_MS): void {
    Atomics.store(this.flags, EXITING, 1);
    for (let i = 1; i < this.flags.length; i++) Atomics.wait(this.flags, i, 1, limitMs);
  }

  /** Calling thread: slot `index`'s worker has ended, so it holds nothing up. */
  release(index: number): void {
    endWork(this.buffer, index);
  }
}

/** Worker side: raises slot `index`'s busy flag, unless the process is exiting (then false: do nothing). */
export function beginWork(buffer: SharedArrayBuffer, index: number): boolean {
  const flags = new Int32Array(buffer);
  Atomics.store(flags, 1 + index, 1);
  if (Atomics.load(flags, EXITING) === 0) return true;
  endWork(buffer, index);
  return false;
}

/** Worker side: lowers slot `index`'s busy flag and wakes an exit hook waiting on it. */
export function endWork(buffer: SharedArrayBuffer, index: number): void {
  const flags = new Int32Array(buffer);
  Atomics.store(flags, 1 + index, 0);
  Atomics.notify(flags, 1 + index);
}

const guarded = new Set<BusyFlags>();

function onExit(): void {
  for (const flags of guarded) flags.waitUntilIdle();
}

/** Holds the process's exit until `flags`' workers are idle; one 'exit' listener for all sessions. */
export function guardExit(flags: BusyFlags): void {
  if (guarded.size === 0) process.on('exit', onExit);
  guarded.add(flags);
}

/** After the session's workers have ended. */
export function unguardExit(flags: BusyFlags): void {
  if (!guarded.delete(flags) || guarded.size > 0) return;
  process.off('exit', onExit);
}
