export interface ProgressStream {
  write(chunk: string): unknown;
  columns?: number;
}

export interface ProgressBar {
  update(done: number, total: number): void;
  /** Erases the bar so the report that follows starts on a clean line. */
  finish(): void;
}

export interface ProgressOptions {
  /** Millisecond clock (injectable for tests). */
  now?: () => number;
  /** Draw nothing before this many ms: short runs finish without flicker. */
  delayMs?: number;
  /** Redraw at most this often. */
  intervalMs?: number;
}

/** A one-line `[=====>    ] 12/43 queries  3.1 q/s  ETA 10s` bar, redrawn in place with `\r`. */
export function createProgressBar(stream: ProgressStream, options: ProgressOptions = {}): ProgressBar {
  const now = options.now ?? (() => performance.now());
  const delayMs = options.delayMs ?? 500;
  const intervalMs = options.intervalMs ?? 100;
  const started = now();
  let lastDraw = -Infinity;
  let drawn = false;

  return {
    update(done, total) {
      const t = now();
      const finished = done >= total;
      if (t - started < delayMs || (!finished && t - lastDraw < intervalMs)) return;
      lastDraw = t;
      drawn = true;
      stream.write(`\r${renderProgress(done, total, (t - started) / 1000, stream.columns || 80)}`);
    },
    finish() {
      if (drawn) stream.write(`\r${' '.repeat(Math.max(0, (stream.columns || 80) - 1))}\r`);
      drawn = false;
    },
  };
}

export function renderProgress(done: number, total: number, elapsedSeconds: number, columns: number): string {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = rate > 0 ? Math.ceil((total - done) / rate) : undefined;
  const text = ` ${done}/${total} queries  ${rate.toFixed(1)} q/s${eta === undefined ? '' : `  ETA ${eta}s`}`;
  // Leave one column free: writing the last column makes some terminals wrap.
  const width = Math.max(10, Math.min(40, columns - text.length - 3));
  const filled = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : 0;
  const bar = '='.repeat(filled) + (filled < width ? '>' : '') + ' '.repeat(Math.max(0, width - filled - 1));
  return `[${bar}]${text}`;
}
