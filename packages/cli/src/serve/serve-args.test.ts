import { UsageError } from '../errors.js';
import { runCli } from '../main.js';
import { parseServeArgs } from './serve-args.js';

const env = { SERVE_KEY: 'k' };

test('defaults: port 8080 on 127.0.0.1, queue 32, two at a time, no auth', () => {
  expect(parseServeArgs(['--model', 'Xenova/ms-marco-MiniLM-L-6-v2'], env)).toEqual({
    help: false,
    model: 'Xenova/ms-marco-MiniLM-L-6-v2',
    dtype: undefined,
    port: 8080,
    host: '127.0.0.1',
    apiKeyEnv: undefined,
    maxQueue: 32,
    concurrency: 2,
    maxDocuments: undefined,
    maxDocumentChars: undefined,
    maxBodyBytes: undefined,
    cacheDir: undefined,
    localFilesOnly: false,
    threads: undefined,
  });
});

test('every option', () => {
  const args = ['--model', './m', '--dtype', 'q8', '--port', '0', '--host', '0.0.0.0', '--api-key-env', 'SERVE_KEY', '--max-queue', '8'];
  const more = ['--concurrency', '4', '--max-documents', '50', '--max-document-chars', '900', '--max-body-bytes', '4096', '--local-files-only', '--threads', '2'];
  expect(parseServeArgs([...args, ...more], env)).toMatchObject({
    model: './m',
    dtype: 'q8',
    port: 0,
    host: '0.0.0.0',
    apiKeyEnv: 'SERVE_KEY',
    maxQueue: 8,
    concurrency: 4,
    maxDocuments: 50,
    maxDocumentChars: 900,
    maxBodyBytes: 4096,
    localFilesOnly: true,
    threads: 2,
  });
});

test.each([
  ['no model', [], /Missing --model/],
  ['an unknown option', ['--model', 'm', '--workers', '2'], /Unknown option '--workers'\. Run "crossrank serve --help"/],
  ['a misspelt option', ['--model', 'm', '--max-queu', '8'], /^Unknown option '--max-queu'\. Did you mean "--max-queue"\? Run "crossrank serve --help"/],
  ['a port out of range', ['--model', 'm', '--port', '70000'], /--port must be an integer from 0 to 65535/],
  ['a negative queue', ['--model', 'm', '--max-queue', '-1'], /--max-queue/],
  ['a key instead of a variable name', ['--model', 'm', '--api-key-env', 'sk-live-123!'], /takes the NAME of an environment variable/],
  ['an unset key variable', ['--model', 'm', '--api-key-env', 'NOT_SET_HERE'], /NOT_SET_HERE: that environment variable is not set/],
  ['a bad dtype', ['--model', 'm', '--dtype', 'fp8'], /--dtype must be one of/],
])('%s is a usage error', (_what, argv, message) => {
  expect(() => parseServeArgs(argv, env)).toThrow(UsageError);
  expect(() => parseServeArgs(argv, env)).toThrow(message);
});

test('crossrank serve --help prints the routes; a usage error exits 2', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
  const deps = { createReranker: () => Promise.reject(new Error('unused')), version: '0', defaultModel: 'm' };
  expect(await runCli(['serve', '--help'], io, deps)).toBe(0);
  expect(out.join('')).toMatch(/POST \/v2\/rerank {3}Cohere v2/);
  expect(await runCli(['serve'], io, deps)).toBe(2);
  expect(err.join('')).toMatch(/^crossrank: Missing --model/);
});
