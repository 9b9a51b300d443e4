import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPackageNotFound } from './optional-package';

// The errors come from a real Node process (ESM import() and CJS require), not from jest's resolver,
// so the test follows Node's actual codes and messages.
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'crossrank-optional-'));
  // An installed package whose own dependency is missing: "installed but broken", not "not installed".
  const broken = join(root, 'node_modules', 'broken-pkg');
  mkdirSync(broken, { recursive: true });
  writeFileSync(join(broken, 'package.json'), JSON.stringify({ name: 'broken-pkg', version: '1.0.0', main: 'index.js' }));
  writeFileSync(join(broken, 'index.js'), "require('inner-missing-dep');\n");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function nodeError(kind: 'esm' | 'cjs', specifier: string): { code: string; message: string } {
  const load = kind === 'esm' ? `import(${JSON.stringify(specifier)})` : `Promise.resolve().then(() => require(${JSON.stringify(specifier)}))`;
  const script = `${load}.then(() => console.log('{}'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`;
  const args = kind === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' })) as { code: string; message: string };
}

it.each(['esm', 'cjs'] as const)('matches Node\'s %s error for a package that is not installed', (kind) => {
  const error = nodeError(kind, '@crossrank/not-installed');
  expect(isPackageNotFound(error, '@crossrank/not-installed')).toBe(true);
  expect(isPackageNotFound(error, '@crossrank/not')).toBe(false);
});

it.each(['esm', 'cjs'] as const)('does not match (%s) when the package is installed but one of its dependencies is missing', (kind) => {
  const error = nodeError(kind, 'broken-pkg');
  expect(error.code).toMatch(/MODULE_NOT_FOUND/);
  expect(error.message).toContain('broken-pkg');
  expect(isPackageNotFound(error, 'broken-pkg')).toBe(false);
  expect(isPackageNotFound(error, 'inner-missing-dep')).toBe(true);
});

it.each([
  ['another error', new Error("Cannot find package '@crossrank/onnx'")],
  ['null', null],
  ['a string', "Cannot find module '@crossrank/onnx'"],
])('does not match %s', (_, value) => {
  expect(isPackageNotFound(value, '@crossrank/onnx')).toBe(false);
});
