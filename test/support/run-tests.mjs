// `pnpm test` after the build: jest (everything ts-jest's CommonJS can load), then the vitest suites
// (ESM-only packages, see vitest.mjs), then one `N passed, N failed` line over both: the line CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVitest } from './vitest.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = mkdtempSync(join(tmpdir(), 'crossrank-test-'));
let passed = 0;
let failed = 0;
let status = 0;

try {
  // Arguments (test path patterns, -t) go to jest only.
  const jestBin = createRequire(join(ROOT, 'package.json')).resolve('jest/bin/jest');
  const jestFile = join(out, 'jest.json');
  const jest = spawnSync(process.execPath, [jestBin, ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, CROSSRANK_SUMMARY_FILE: jestFile },
  });
  status = Math.max(status, jest.status ?? 1);
  if (existsSync(jestFile)) {
    const counts = JSON.parse(readFileSync(jestFile, 'utf8'));
    passed += counts.passed;
    failed += counts.failed;
  } else {
    failed += 1; // jest stopped before it could report
  }

  // The vitest suites have no real-model conformance tests: that opt-in run is jest's alone.
  if (!process.env.CROSSRANK_REAL_MODELS) {
    const vitest = runVitest([], out);
    status = Math.max(status, vitest.status);
    const reports = readdirSync(out).filter((f) => f.startsWith('vitest-'));
    if (vitest.missingNode || reports.length < vitest.suites) failed += 1;
    for (const file of reports) {
      const report = JSON.parse(readFileSync(join(out, file), 'utf8'));
      // A file that failed to load has no test results but must still count as a failure.
      const brokenFiles = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
      passed += report.numPassedTests;
      failed += report.numFailedTests + brokenFiles;
      process.stdout.write(`vitest (${report.testResults.length} files): ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed\n`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? Math.max(status, 1) : status);
