import { createProgressBar, renderDownload, renderProgress } from './progress.js';

describe('renderProgress', () => {
  test('draws the bar, count, rate and ETA', () => {
    // 10 of 40 in 5 s: 2 q/s, 30 left -> 15 s. Bar width 40 (80 columns leave room): 10 filled.
    expect(renderProgress(10, 40, 5, 80)).toBe(`[${'='.repeat(10)}>${' '.repeat(29)}] 10/40 queries  2.0 q/s  ETA 15s`);
  });

  test('fills the bar when done and fits narrow terminals', () => {
    expect(renderProgress(4, 4, 2, 80)).toBe(`[${'='.repeat(40)}] 4/4 queries  2.0 q/s  ETA 0s`);
    const narrow = renderProgress(1, 2, 1, 50);
    expect(narrow.length).toBeLessThan(50);
  });

  test('omits the ETA before any rate is known', () => {
    expect(renderProgress(0, 5, 0, 80)).toMatch(/0\/5 queries {2}0\.0 q\/s$/);
  });
});

describe('renderDownload', () => {
  it('draws the file, a bar and megabytes, within the terminal width', () => {
    expect(renderDownload('onnx/model.onnx', 45e6, 90e6, 80)).toBe(`onnx/model.onnx [${'='.repeat(20)}>${' '.repeat(19)}] 45.0/90.0 MB`);
    expect(renderDownload('onnx/model.onnx', 90e6, 90e6, 80)).toBe(`onnx/model.onnx [${'='.repeat(40)}] 90.0/90.0 MB`);
    expect(renderDownload('onnx/model.onnx', 1e6, 90e6, 50).length).toBeLessThan(50);
  });

  it('shows the bytes so far when the size is unknown', () => {
    expect(renderDownload('config.json', 2.5e6, undefined, 80)).toBe('Downloading config.json 2.5 MB');
  });
});

describe('createProgressBar', () => {
  function setup() {
    let clock = 0;
    const writes: string[] = [];
    const bar = createProgressBar({ write: (s: string) => writes.push(s), columns: 80 }, { now: () => clock, delayMs: 500, intervalMs: 100 });
    return { bar, writes, tick: (ms: number) => (clock += ms) };
  }

  test('stays silent for short runs', () => {
    const { bar, writes, tick } = setup();
    tick(100);
    bar.update(1, 2);
    tick(100);
    bar.update(2, 2);
    bar.finish();
    expect(writes).toEqual([]);
  });

  test('draws in place at most once per interval, always draws completion, then erases itself', () => {
    const { bar, writes, tick } = setup();
    tick(600);
    bar.update(1, 4);
    tick(50);
    bar.update(2, 4); // within 100 ms of the last draw: skipped
    tick(60);
    bar.update(3, 4);
    bar.update(4, 4); // completion is drawn even right away
    bar.finish();
    expect(writes.slice(0, 3).map((w) => w.match(/\d+\/4/)![0])).toEqual(['1/4', '3/4', '4/4']);
    expect(writes.slice(0, 3).every((w) => w.startsWith('\r'))).toBe(true);
    expect(writes[3]).toBe(`\r${' '.repeat(79)}\r`);
    expect(writes).toHaveLength(4);
  });
});
