import { createRequire } from 'node:module';
import { DEFAULT_MODEL } from './default-model.js';
import type { RerankerFactory } from './eval-command.js';
import { runCli } from './main.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

// Loaded on demand: only a command that reranks needs the backends.
const createReranker: RerankerFactory = async (args, io) => (await import('./backends.js')).createReranker(args, io);

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, {
  createReranker,
  version,
  defaultModel: DEFAULT_MODEL,
});
