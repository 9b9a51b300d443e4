// One jest run for the whole repo: unit tests beside the code, slower cross-package tests under test/.
// Tests are compiled to CommonJS by ts-jest; other packages are reached through their built `dist/`
// (their package.json exports), never through their `src/`.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/support/node-environment.cjs',
  roots: ['<rootDir>/packages', '<rootDir>/test', '<rootDir>/examples', '<rootDir>/benchmarks'],
  // `*.real.test.ts` download real models from the hub: opt-in only, never counted as skipped.
  testMatch: process.env.CROSSRANK_REAL_MODELS ? ['**/*.real.test.ts'] : ['**/*.test.ts'],
  // The ESM-only ai-sdk package and its example run on vitest (test/support/run-tests.mjs).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/packages/ai-sdk/', '/examples/ai-sdk/', ...(process.env.CROSSRANK_REAL_MODELS ? [] : ['\\.real\\.test\\.ts$'])],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  // Sources import siblings as `./x.js` (ESM style); map them back to the `.ts` files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json', 'node'],
  testTimeout: 120000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
