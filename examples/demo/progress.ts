import type { LoadProgress } from '@crossrank/onnx';

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface DownloadProgress {
  onProgress(event: LoadProgress): void;
  /** Erases a half-drawn bar (e.g. when loading failed) so the next message starts on a clean line. */
  finish(): void;
}

export interface DownloadProgressOptions {
  now?: () => number;
  /** Draw nothing before this many ms: cached loads finish without a flash of bars. */
  delayMs?: number;
  /** Redraw at most this often. */
  intervalMs?: number;
}

/**
 * Turns `@huggingface/transformers` load events into one bar per file on `stream`, redrawn in place.
 * Draws only on a terminal: piped output (CI logs, tests) would otherwise fill with `\r` lines.
 */
export function createDownloadProgress(stream: ProgressStream, options: DownloadProgressOptions = {}): DownloadProgress {
  const now = options.now ?? (() => performance.now());
  const delayMs = options.delayMs ?? 300;
  const intervalMs = options.intervalMs ?? 100;
  const started = now();
  let lastDraw = -Infinity;
  let openLine: string | undefined; // the file whose bar is on screen and not yet finished

  const draw = (file: string, loaded: number, total: number, final: boolean) => {
    stream.write(`\r${renderBar(file, loaded, total, stream.columns ?? 80)}${final ? '\n' : ''}`);
    openLine = final ? undefined : file;
  };

  return {
    onProgress(event) {
      if (!stream.isTTY || typeof event.file !== 'string') return;
      if (event.status === 'progress' && typeof event.loaded === 'number' && typeof event.total === 'number') {
        const t = now();
        const complete = event.total > 0 && event.loaded >= event.total;
        if (t - started < delayMs) return;
        if (openLine !== undefined && openLine !== event.file) stream.write('\n');
        if (complete || openLine !== event.file || t - lastDraw >= intervalMs) {
          lastDraw = t;
          draw(event.file, event.loaded, event.total, complete);
        }
      } else if (event.status === 'done' && openLine === event.file) {
        stream.write('\n');
        openLine = undefined;
      }
    },
    finish() {
      if (openLine !== undefined) stream.write('\n');
      openLine = undefined;
    },
  };
}

export function renderBar(file: string, loaded: number, total: number, columns: number): string {
  const fraction = total > 0 ? Math.min(1, loaded / total) : 0;
  const sizes = `${(fraction * 100).toFixed(0).padStart(3)}%  ${megabytes(loaded)} / ${megabytes(total)} MB`;
  // Room for the name and the bar; one column stays free because writing the last one makes some terminals wrap.
  const room = columns - 1 - (2 + 2 + 2 + 2 + sizes.length);
  const width = Math.max(5, Math.min(30, room - file.length));
  const nameRoom = Math.max(8, room - width);
  const name = file.length <= nameRoom ? file : `…${file.slice(file.length - nameRoom + 1)}`;
  const filled = Math.round(fraction * width);
  return `  ${name}  [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]  ${sizes}`;
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
