import { createRequire } from 'node:module';
import { DEFAULT_MODEL } from './default-model.js';
import type { RerankerFactory } from './eval-command.js';
import { runCli } from './main.js';
import type { ServeArgs } from './serve/serve-args.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

// Loaded on demand: only a command that reranks needs the backends.
const createReranker: RerankerFactory = async (args, io) => (await import('./backends.js')).createReranker(args, io);

// `crossrank serve` only: the server and its model loader.
const serve = async (args: ServeArgs) => {
  const [{ runServe }, { loadServeModel }] = await Promise.all([import('./serve/serve-command.js'), import('./serve/load-model.js')]);
  await runServe(args, { stdout: process.stdout, signals: process, env: process.env }, loadServeModel);
};

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, {
  createReranker,
  version,
  defaultModel: DEFAULT_MODEL,
  serve,
});
