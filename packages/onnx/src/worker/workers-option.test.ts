import { mkdtempSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '../errors.js';
import type { ModelLocation } from '../model-loader.js';
import { AUTO_MODEL_SHARE_OF_MEMORY, externalDataNames, machineMemoryBytes, modelBytes, planWorkers } from './workers-option.js';
import { niceApplies } from './worker-priority.js';

// workers: 'auto' picks 2 workers for a model that is small for this machine's memory, else 1.
// Model files are sparse (truncate), so a "large" one takes no disk.
let scratch: string;
beforeAll(() => (scratch = mkdtempSync(path.join(os.tmpdir(), 'crossrank-workers-option-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

/** An external data entry as protobuf writes it: key "location" (field 1), value `name` (field 2). */
function locationEntry(name: string): Buffer {
  return Buffer.concat([Buffer.from([0x0a, 0x08]), Buffer.from('location'), Buffer.from([0x12, name.length]), Buffer.from(name)]);
}

/** A model folder whose `graphFile` is `bytes` long, naming `data` (external weights of `dataBytes`) if given. */
function modelOf(name: string, bytes: number, data?: { file: string; bytes: number }, graphFile = 'model.onnx'): ModelLocation {
  const folder = path.join(scratch, name);
  mkdirSync(path.join(folder, 'onnx'), { recursive: true });
  const file = path.join(folder, 'onnx', graphFile);
  writeFileSync(file, data ? Buffer.concat([Buffer.from('graph'), locationEntry(data.file), locationEntry(data.file), Buffer.from('more')]) : '');
  truncateSync(file, bytes);
  if (data) {
    writeFileSync(path.join(folder, 'onnx', data.file), '');
    truncateSync(path.join(folder, 'onnx', data.file), data.bytes);
  }
  return { source: { kind: 'local', folder }, folder, modelFile: `onnx/${graphFile}`, hasTokenizerConfig: false };
}

const limit = Math.floor(machineMemoryBytes() * AUTO_MODEL_SHARE_OF_MEMORY);

it('auto: two single-threaded workers on 2 cores for a model within the memory share', () => {
  jest.spyOn(os, 'availableParallelism').mockReturnValue(2);
  expect(planWorkers(undefined, undefined, modelOf('small', 91_000_000))).toMatchObject({ workers: 2, threads: 1 });
  expect(planWorkers('auto', undefined, modelOf('at-limit', limit))).toMatchObject({ workers: 2, threads: 1 });
});

it('auto: one worker with every core for a model over the share (external weights counted)', () => {
  jest.spyOn(os, 'availableParallelism').mockReturnValue(2);
  expect(planWorkers('auto', undefined, modelOf('large', limit + 1))).toMatchObject({ workers: 1, threads: 2 });
  // The graph names its weights file, once per tensor; a rewritten graph may name another graph's file.
  const split = modelOf('external', 1_000_000, { file: 'model.onnx_data', bytes: limit });
  expect(modelBytes(split)).toBe(1_000_000 + limit);
  expect(planWorkers('auto', undefined, split)).toMatchObject({ workers: 1, threads: 2 });
  const shared = modelOf('shared', 600_000, { file: 'model.onnx_data', bytes: limit }, 'model_last.onnx');
  expect(modelBytes(shared)).toBe(600_000 + limit);
  expect(planWorkers('auto', undefined, shared)).toMatchObject({ workers: 1, threads: 2 });
});

it('external data names are read from the graph bytes: each file once, never one outside the folder', () => {
  const bytes = Buffer.concat([Buffer.from([1, 2, 3]), locationEntry('model.onnx_data'), Buffer.from('x'), locationEntry('model.onnx_data'), locationEntry('w2.bin'), locationEntry('../etc/passwd')]);
  expect(externalDataNames(bytes)).toEqual(['model.onnx_data', 'w2.bin']);
  expect(externalDataNames(Buffer.from('no entries here'))).toEqual([]);
});

it('auto: one worker on one core; explicit counts and threads are kept', () => {
  jest.spyOn(os, 'availableParallelism').mockReturnValue(1);
  expect(planWorkers('auto', undefined, modelOf('one-core', 1000))).toMatchObject({ workers: 1, threads: 1 });
  jest.spyOn(os, 'availableParallelism').mockReturnValue(2);
  expect(planWorkers(2, undefined, modelOf('big-explicit', limit + 1))).toMatchObject({ workers: 2, threads: 1 });
  expect(planWorkers(0, undefined, modelOf('in-thread', 1000))).toMatchObject({ workers: 0, threads: 2, nice: 0 });
  expect(planWorkers('auto', 3, modelOf('threads', limit + 1))).toMatchObject({ workers: 1, threads: 3 });
});

it('workerNice: checked by name, applied only on Linux and only to workers', () => {
  for (const bad of [-1, 20, 2.5, '5', null]) {
    expect(() => planWorkers(1, undefined, undefined, bad as number)).toThrow(InvalidInputError);
    expect(() => planWorkers(1, undefined, undefined, bad as number)).toThrow(/options\.workerNice must be an integer from 0 .* to 19/);
  }
  expect(niceApplies('linux')).toBe(true);
  expect(niceApplies('darwin')).toBe(false);
  expect(niceApplies('win32')).toBe(false);
  expect(planWorkers(1, undefined, undefined, 7).nice).toBe(process.platform === 'linux' ? 7 : 0);
  expect(planWorkers(0, undefined, undefined, 7).nice).toBe(0);
});
