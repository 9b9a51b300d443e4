import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkerFailedError } from '../errors';
import { fileOfUrl, WORKER_SCRIPT_ENV, workerScriptInstead } from './worker-script';

// Where a worker script comes from when the literal beside the module file cannot be it (bundles).
let root: string;
const saved = process.env[WORKER_SCRIPT_ENV];

function file(relative: string, text = ''): string {
  const at = path.join(root, relative);
  mkdirSync(path.dirname(at), { recursive: true });
  writeFileSync(at, text);
  return at;
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'crossrank-worker-script-'));
  delete process.env[WORKER_SCRIPT_ENV];
});
afterEach(() => rmSync(root, { recursive: true, force: true }));
afterAll(() => {
  if (saved === undefined) delete process.env[WORKER_SCRIPT_ENV];
  else process.env[WORKER_SCRIPT_ENV] = saved;
});

it('starts the literal when the script is beside the module file', () => {
  const mod = file('pkg/dist/index.cjs');
  file('pkg/dist/worker.cjs');
  expect(workerScriptInstead(mod, 'worker.cjs')).toBeUndefined();
});

it('starts the literal when the module file is not on disk (a bundler rewrote both)', () => {
  expect(workerScriptInstead(path.join(root, 'gone', 'index.js'), 'worker.mjs')).toBeUndefined();
  expect(workerScriptInstead(undefined, 'worker.mjs')).toBeUndefined();
});

it.each(['worker.cjs', 'worker.mjs'] as const)('a bundle without %s beside it starts the installed @crossrank/onnx copy', (name) => {
  file('app/node_modules/@crossrank/onnx/package.json', JSON.stringify({ name: '@crossrank/onnx', exports: { './package.json': './package.json' } }));
  const installed = file(`app/node_modules/@crossrank/onnx/dist/${name}`);
  const bundle = file('app/out/server.js');
  expect(workerScriptInstead(bundle, name)).toBe(installed);
});

it('a bundle with no worker anywhere is a WorkerFailedError saying what to do', () => {
  const bundle = file('app/out/server.js');
  let error: unknown;
  try {
    workerScriptInstead(bundle, 'worker.mjs');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(WorkerFailedError);
  const message = (error as Error).message;
  expect(message).toContain(path.join(root, 'app', 'out', 'worker.mjs'));
  expect(message).toMatch(/@crossrank\/onnx ships it.*keep @crossrank\/onnx external.*CROSSRANK_WORKER_SCRIPT.*workers: 0/s);
  expect(message).not.toContain('@crossrank/core');
});

it(`${WORKER_SCRIPT_ENV} wins when it names a file, and is an error when it does not`, () => {
  const mod = file('pkg/dist/index.cjs');
  file('pkg/dist/worker.cjs');
  const copy = file('elsewhere/worker.cjs');
  process.env[WORKER_SCRIPT_ENV] = copy;
  expect(workerScriptInstead(mod, 'worker.cjs')).toBe(copy);
  process.env[WORKER_SCRIPT_ENV] = path.join(root, 'nowhere.cjs');
  expect(() => workerScriptInstead(mod, 'worker.cjs')).toThrow(/nowhere\.cjs/);
});

it('reads a file URL, and gives undefined for what a bundler may put in import.meta.url instead', () => {
  const mod = file('pkg/dist/index.js');
  expect(fileOfUrl(pathToFileURL(mod).href)).toBe(mod);
  expect(fileOfUrl('/_next/static/chunk.js')).toBeUndefined();
  expect(fileOfUrl('https://example.invalid/x.js')).toBeUndefined();
});
