import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

// Workers used to inherit every flag of the main script: under `node --input-type=module -e ...`
// each load failed with "--input-type can only be used with string input". Each case runs a real
// process with flags that reach process.execArgv; watch mode and `--test` (isolated) run the script
// in a child process without them, and `--check` / `-i` run no script, so they cannot reach it.
let dir: string;
let tmp: string;
const cwd = __dirname; // resolves @crossrank/onnx through test/node_modules

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-node-flags-tiny') }));
  tmp = mkdtempSync(path.join(os.tmpdir(), 'crossrank-flags-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const body = (dirJson: string) =>
  `const e = await CrossEncoder.load(${dirJson}, { workers: 1 });` +
  `const r = await e.rerank('containers', ['a bridge network', 'a cat']); await e.dispose();` +
  `console.log(JSON.stringify({ workers: e.info.workers, ranked: r.length }));`;
const esm = () => `import { CrossEncoder } from '@crossrank/onnx'; ${body(JSON.stringify(dir))}`;
const cjs = () => `const { CrossEncoder } = require('@crossrank/onnx'); (async () => { ${body(JSON.stringify(dir))} })().catch((e) => { console.error(e.stack); process.exitCode = 1; });`;
const file = (name: string, text: string) => {
  const at = path.join(tmp, name);
  writeFileSync(at, text.replace("'@crossrank/onnx'", JSON.stringify(require.resolve('@crossrank/onnx').replace(/index\.cjs$/, name.endsWith('.mjs') ? 'index.js' : 'index.cjs'))));
  return at;
};

const cases: Array<[string, () => { args: string[]; input?: string }]> = [
  ['--input-type=module -e', () => ({ args: ['--input-type=module', '-e', esm()] })],
  ['--input-type module --eval', () => ({ args: ['--input-type', 'module', '--eval', esm()] })],
  ['a script piped to --input-type=module', () => ({ args: ['--input-type=module'], input: esm() })],
  ['--input-type=commonjs -e', () => ({ args: ['--input-type=commonjs', '-e', cjs()] })],
  ['-p', () => ({ args: ['-p', `${cjs()}; ''`] })],
  ['--print', () => ({ args: ['--print', `${cjs()}; ''`] })],
  ['with process-wide flags a worker rejects', () => ({ args: ['--max-old-space-size=1024', '--expose-gc', '--title', 'crossrank-app', '--input-type=module', '-e', esm()] })],
  ['--test-only --test-name-pattern --test-reporter', () => ({ args: ['--test-only', '--test-name-pattern', 'x', '--test-reporter=spec', file('flags-a.mjs', esm())] })],
  ['--experimental-test-coverage', () => ({ args: ['--experimental-test-coverage', file('flags-b.cjs', cjs())] })],
];

it.each(cases)('workers load under %s', (_, make) => {
  const { args, input } = make();
  const child = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000, ...(input !== undefined ? { input } : {}) });
  expect(child.error).toBeUndefined();
  expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
  expect(child.stdout.trim().split('\n')[0]).toBe(JSON.stringify({ workers: 1, ranked: 2 }));
});
