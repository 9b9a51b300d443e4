// What the fresh-process probe (fresh-probe.ts) measures, apart from the engine so tests can reach it.
import { readFileSync } from 'node:fs';

/** Heartbeat period of the event-loop scenario (serve.ts) and of the load rows (fresh-probe.ts). */
export const HEARTBEAT_MS = 5;

/** Peak resident memory of this process, worker threads included. */
export function peakRss(status: () => string = () => readFileSync('/proc/self/status', 'utf8')): { mb: number; source: 'VmHWM' | 'maxRSS' } {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status());
    if (match) return { mb: Number(match[1]) / 1024, source: 'VmHWM' };
  } catch {
    // Not Linux: fall through.
  }
  // maxRSS is in kilobytes on Linux and macOS.
  return { mb: process.resourceUsage().maxRSS / 1024, source: 'maxRSS' };
}

/** Runs `work` with a heartbeat of `periodMs`; the longest tick interval minus the period is the gap. */
export async function withHeartbeat<T>(periodMs: number, work: () => Promise<T>): Promise<{ value: T; gapMs: number }> {
  let last = performance.now();
  let longest = 0;
  const beat = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, periodMs);
  try {
    const value = await work();
    // A block that ends just as `work` settles shows up only at the next tick: wait for two.
    await new Promise((resolve) => setTimeout(resolve, 2 * periodMs));
    return { value, gapMs: Math.max(0, longest - periodMs) };
  } finally {
    clearInterval(beat);
  }
}
