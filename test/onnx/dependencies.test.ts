// Issue 19, item 1: what `npm install @crossrank/onnx` brings, and what importing it loads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Every package in the production dependency tree of the package at `dir`, as resolved here. */
function dependencyTree(dir: string, seen = new Map<string, string>()): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  const require = createRequire(path.join(dir, 'package.json'));
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
    // Node's own lookup (`node_modules` up the tree), without `exports`, which may hide package.json.
    const folder = (require.resolve.paths(name) ?? []).map((base) => path.join(base, name)).find((candidate) => existsSync(path.join(candidate, 'package.json')));
    if (folder === undefined) continue; // an optional dependency not installed on this platform
    const found = realpathSync(folder);
    if (seen.has(found)) continue;
    seen.set(found, name);
    dependencyTree(found, seen);
  }
  return seen;
}

it('@crossrank/onnx depends on no transformers.js, onnxruntime-web or sharp, and on onnxruntime-node 1.30', () => {
  const onnx = path.dirname(require.resolve('@crossrank/onnx/package.json'));
  const names = new Set(dependencyTree(onnx).values());
  expect(names.has('onnxruntime-node')).toBe(true);
  expect(names.has('@huggingface/tokenizers')).toBe(true);
  for (const unwanted of ['@huggingface/transformers', 'onnxruntime-web', 'sharp']) expect(names.has(unwanted)).toBe(false);
  const ort = createRequire(require.resolve('@crossrank/onnx'))('onnxruntime-node/package.json') as { version: string };
  expect(ort.version).toMatch(/^1\.30\./);
});

it('importing @crossrank/onnx loads neither ONNX Runtime nor the tokenizer library (they load on the first load)', () => {
  const script = `
    require('@crossrank/onnx');
    const loaded = Object.keys(require.cache).filter((f) => /onnxruntime-node|@huggingface[\\\\/]tokenizers/.test(f));
    process.stdout.write(JSON.stringify(loaded));`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(JSON.parse(child.stdout)).toEqual([]);
});
