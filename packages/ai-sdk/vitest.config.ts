// This package is ESM-only (as `ai` 7 is), which the repo's jest (ts-jest, CommonJS) cannot load, so
// its tests run on vitest under Node >= 22. `pnpm test` at the root runs them after jest and counts
// them in its `N passed, N failed` line (test/support/run-tests.mjs).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two shared cores: files run one at a time, as jest's maxWorkers keeps the rest of the repo.
    fileParallelism: false,
  },
});
