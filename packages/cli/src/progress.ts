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
  return `[${bar(done, total, columns - text.length)}]${text}`;
}

/**
 * One line for a model file being downloaded: `onnx/model.onnx [=====>    ] 45.1/90.9 MB`, or the
 * bytes so far when the server did not say how many there are.
 */
export function renderDownload(file: string, loaded: number, total: number | undefined, columns: number): string {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  if (total === undefined || total <= 0) return `Downloading ${file} ${mb(loaded)} MB`.slice(0, columns - 1);
  const text = ` ${mb(loaded)}/${mb(total)} MB`;
  const name = file.length > 30 ? `...${file.slice(-27)}` : file;
  return `${name} [${bar(loaded, total, columns - name.length - 1 - text.length)}]${text}`;
}

/** `=====>    ` filling the room left (10 to 40 columns), one column kept free. */
function bar(done: number, total: number, room: number): string {
  // Leave one column free: writing the last column makes some terminals wrap.
  const width = Math.max(10, Math.min(40, room - 3));
  const filled = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : 0;
  return '='.repeat(filled) + (filled < width ? '>' : '') + ' '.repeat(Math.max(0, width - filled - 1));
}
