// The AI SDK example is ESM-only (as `ai` 7 is), so its test runs on vitest under Node >= 22; the
// other examples' tests run on the repo's jest. `pnpm test` runs both (test/support/run-tests.mjs).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['ai-sdk/**/*.test.ts'],
    testTimeout: 180_000,
  },
});
