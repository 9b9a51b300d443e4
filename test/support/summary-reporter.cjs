// Ends every run with the one line CI reads: `N passed, N failed` (jest's own summary is not read).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    if (!process.env.CROSSRANK_REAL_MODELS) {
      process.stdout.write(
        'Conformance with real Hugging Face models: not run (opt in with CROSSRANK_REAL_MODELS=1 and network); not counted.\n',
      );
    }
    if (process.env.CROSSRANK_SUMMARY_FILE) {
      // run-tests.mjs adds the vitest suites and prints the total line itself.
      require('node:fs').writeFileSync(process.env.CROSSRANK_SUMMARY_FILE, JSON.stringify({ passed: results.numPassedTests, failed }));
      process.stdout.write(`jest: ${results.numPassedTests} passed, ${failed} failed\n`);
      return;
    }
    process.stdout.write(`${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
