import { createDownloadProgress, renderBar } from './progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (chunk: string) => writes.push(chunk) } };
}

const progress = (file: string, loaded: number, total: number) => ({ status: 'progress', file, progress: (loaded / total) * 100, loaded, total });

describe('createDownloadProgress', () => {
  it('draws one bar per file on a terminal, redrawn in place, ending each with a newline', () => {
    const { writes, stream } = fakeStream(true);
    let t = 0;
    const bar = createDownloadProgress(stream, { now: () => t, delayMs: 0, intervalMs: 100 });
    bar.onProgress({ status: 'initiate', file: 'onnx/model_quantized.onnx' });
    bar.onProgress(progress('onnx/model_quantized.onnx', 5e6, 23e6));
    t = 50;
    bar.onProgress(progress('onnx/model_quantized.onnx', 6e6, 23e6)); // throttled
    t = 200;
    bar.onProgress(progress('onnx/model_quantized.onnx', 23e6, 23e6));
    bar.onProgress({ status: 'done', file: 'onnx/model_quantized.onnx' });
    bar.finish();
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatch(/^\r {2}onnx\/model_quantized\.onnx {2}\[#+-+\] +22% {2}5\.0 \/ 23\.0 MB$/);
    expect(writes[1]).toMatch(/^\r.*\[#+\] {2}100% {2}23\.0 \/ 23\.0 MB\n$/);
  });

  it('starts a new line when another file begins, and finish() closes a half-drawn bar', () => {
    const { writes, stream } = fakeStream(true);
    const bar = createDownloadProgress(stream, { now: () => 1000, delayMs: 0 });
    bar.onProgress(progress('tokenizer.json', 1, 10));
    bar.onProgress(progress('onnx/model.onnx', 1, 10));
    bar.finish();
    expect(writes.join('')).toMatch(/tokenizer\.json.*\n\r {2}onnx\/model\.onnx.*\n$/s);
  });

  it('draws nothing when stderr is not a terminal, or before the delay (cached loads)', () => {
    const piped = fakeStream(false);
    const bar = createDownloadProgress(piped.stream, { delayMs: 0 });
    bar.onProgress(progress('onnx/model.onnx', 1, 2));
    bar.finish();
    expect(piped.writes).toEqual([]);

    const quick = fakeStream(true);
    const early = createDownloadProgress(quick.stream, { now: () => 0, delayMs: 300 });
    early.onProgress(progress('onnx/model.onnx', 2, 2));
    early.finish();
    expect(quick.writes).toEqual([]);
  });
});

describe('renderBar', () => {
  it('fits the terminal width', () => {
    const line = renderBar('onnx/model_quantized.onnx', 11.5e6, 23e6, 60);
    expect(line.length).toBeLessThan(60);
    expect(line).toContain(' 50%  11.5 / 23.0 MB');
    expect(line).toMatch(/^ {2}onnx\/model_quantized\.onnx {2}\[#+-+\]/);
    const narrow = renderBar('onnx/model_quantized.onnx', 11.5e6, 23e6, 50);
    expect(narrow.length).toBeLessThan(50);
    expect(narrow).toMatch(/^ {2}…[\w.]+ {2}\[#+-+\] {2} 50%/);
  });
});
