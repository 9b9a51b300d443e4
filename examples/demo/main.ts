/**
 * Entry point of `pnpm demo`. Imports the demo lazily so that a missing `@crossrank/core` build ends
 * in one line saying what to run, not in a module-resolution stack trace.
 */
export {}; // top-level await needs a module; this file has no static imports on purpose

const debug = Boolean(process.env['CROSSRANK_DEBUG']);

try {
  const { runDemo } = await import('./demo.js');
  process.exitCode = await runDemo(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /@crossrank[\\/]core|packages[\\/]core[\\/]dist/.test(message)) {
    console.error('The demo needs the built @crossrank/core package. Run `pnpm install && pnpm build` in the repository root, then `pnpm demo` again.');
  } else {
    // Anything unexpected still ends in one line; the stack only on request.
    console.error(`The demo failed: ${message}${debug ? '' : ' (set CROSSRANK_DEBUG=1 to see the stack trace)'}`);
  }
  if (debug && error instanceof Error) console.error(error.stack);
  process.exitCode = 1;
}
