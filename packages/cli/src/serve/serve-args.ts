import { parseArgs } from 'node:util';
import { DTYPES } from '../args.js';
import { UsageError } from '../errors.js';
import { parseArgsMessage } from '../parse-args-message.js';

export interface ServeArgs {
  model: string;
  dtype?: (typeof DTYPES)[number];
  port: number;
  host: string;
  /** Name of the environment variable holding the bearer key (never the key itself). */
  apiKeyEnv?: string;
  maxQueue: number;
  concurrency: number;
  maxDocuments?: number;
  maxDocumentChars?: number;
  maxBodyBytes?: number;
  cacheDir?: string;
  localFilesOnly: boolean;
  threads?: number;
}

export type ServeCommand = { help: true } | ({ help: false } & ServeArgs);

const SERVE_OPTIONS = {
  model: { type: 'string' },
  dtype: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'api-key-env': { type: 'string' },
  'max-queue': { type: 'string' },
  concurrency: { type: 'string' },
  'max-documents': { type: 'string' },
  'max-document-chars': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'cache-dir': { type: 'string' },
  'local-files-only': { type: 'boolean' },
  threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `crossrank serve` arguments (everything after `serve`). Throws `UsageError` on any mistake. */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeCommand {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: SERVE_OPTIONS, strict: true, allowPositionals: true }));
  } catch (error) {
    throw new UsageError(`${parseArgsMessage(error as Error, SERVE_OPTIONS)} Run "crossrank serve --help" for the options.`);
  }
  if (values.help) return { help: true };
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}". Name the model with --model.`);
  const str = (name: string) => values[name] as string | undefined;
  const model = str('model');
  if (model === undefined || model === '') throw new UsageError('Missing --model <folder|hub id>. Run "crossrank serve --help" for usage.');
  const dtype = str('dtype');
  if (dtype !== undefined && !(DTYPES as readonly string[]).includes(dtype)) throw new UsageError(`--dtype must be one of ${DTYPES.join(', ')}; got "${dtype}".`);
  const apiKeyEnv = str('api-key-env');
  if (apiKeyEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) throw new UsageError(`--api-key-env takes the NAME of an environment variable, got "${apiKeyEnv}".`);
    // Never echo the value: only say whether it is there.
    if (!env[apiKeyEnv]?.trim()) throw new UsageError(`--api-key-env ${apiKeyEnv}: that environment variable is not set (or empty); export the key in it first.`);
  }
  return {
    help: false,
    model,
    dtype: dtype as ServeArgs['dtype'],
    port: int(str('port'), '--port', 0, 65535) ?? 8080,
    host: str('host') || '127.0.0.1',
    apiKeyEnv,
    maxQueue: int(str('max-queue'), '--max-queue', 0) ?? 32,
    concurrency: int(str('concurrency'), '--concurrency', 1) ?? 2,
    maxDocuments: int(str('max-documents'), '--max-documents', 1),
    maxDocumentChars: int(str('max-document-chars'), '--max-document-chars', 1),
    maxBodyBytes: int(str('max-body-bytes'), '--max-body-bytes', 1024),
    cacheDir: str('cache-dir'),
    localFilesOnly: values['local-files-only'] === true,
    threads: int(str('threads'), '--threads', 1),
  };
}

function int(value: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${value}".`);
  }
  return Number(value);
}
