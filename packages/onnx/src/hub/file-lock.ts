import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const POLL_MS = 100;

/**
 * Runs `fn` while holding `file` as a lock shared by every process on the machine: the file is
 * created exclusively and holds `<pid> <token>`. A lock whose process is gone (killed mid-download)
 * is taken over; one whose process is alive is waited for, however long its download takes.
 *
 * Not huggingface_hub's `<etag>.lock` itself: Python holds that one with `flock`, which Node cannot
 * take, and leaves the file behind when done, so creating it exclusively would wait forever.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const mine = `${process.pid} ${randomUUID()}`;
  mkdirSync(path.dirname(file), { recursive: true });
  for (;;) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = readLock(file);
    if (held !== undefined && !isAlive(held)) takeOver(file, held);
    else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await fn();
  } finally {
    if (readLock(file) === mine) rmSync(file, { force: true });
  }
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A half-written lock (no pid yet) belongs to a process that is about to finish writing it. */
function isAlive(held: string): boolean {
  const pid = Number(held.split(' ')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return held.length === 0;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves a dead process's lock aside. If another process replaced it with a live lock in between,
 * that lock is put back (without overwriting a newer one) and the loop waits on it.
 */
function takeOver(file: string, stale: string): void {
  const aside = `${file}.${process.pid}.${randomUUID()}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return;
  }
  if (readLock(aside) !== stale) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone holds a newer lock; theirs stands.
    }
  }
  rmSync(aside, { force: true });
}
