import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { DEFAULT_QUERY } from './passages.js';

export const BACKENDS = ['cohere', 'jina', 'voyage', 'mixedbread', 'tei'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface ApiArgs {
  help: boolean;
  backend: Backend;
  /** A self-hosted or compatible server instead of the provider's hosted API. */
  baseUrl: string | undefined;
  /** Undefined: the backend's default model (TEI serves the model it was started with). */
  model: string | undefined;
  query: string;
  /** Undefined: print the whole ranking. */
  topN: number | undefined;
}

export const USAGE = `Usage: pnpm --filter @crossrank/examples api [-- options]

Reranks a few passages about Docker with a hosted rerank API or a self-hosted server and prints the ranking.

Options:
  -b, --backend <name>   ${BACKENDS.join(' | ')} (default: cohere)
      --base-url <url>   a self-hosted server instead of the hosted API: TEI (--backend tei), or vLLM /
                         Infinity through the Cohere (/v2/rerank) or Jina (/v1/rerank) protocol
  -m, --model <name>     the model to ask for (default: the backend's; not for TEI)
  -q, --query <text>     the question (default: "${DEFAULT_QUERY}")
  -n, --top-n <n>        print only the best n (default: all)
  -h, --help             show this help

Keys: the hosted APIs read COHERE_API_KEY, JINA_API_KEY, VOYAGE_API_KEY or MXBAI_API_KEY. With --base-url
those are never sent; set RERANK_API_KEY if that server wants a key (TEI also reads TEI_API_KEY).`;

/** Parses the example's command line; throws `UsageError` naming the bad flag. */
export function parseApiArgs(argv: readonly string[]): ApiArgs {
  // `pnpm <script> -- --flag` passes the `--` through; npm and a direct call do not.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        backend: { type: 'string', short: 'b', default: 'cohere' },
        'base-url': { type: 'string' },
        model: { type: 'string', short: 'm' },
        query: { type: 'string', short: 'q', default: DEFAULT_QUERY },
        'top-n': { type: 'string', short: 'n' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const backend = values.backend!;
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}; got "${backend}".`);
  }
  return {
    help: values.help!,
    backend: backend as Backend,
    baseUrl: nonEmpty('--base-url', values['base-url']),
    model: nonEmpty('--model', values.model),
    query: nonEmpty('--query', values.query)!,
    topN: positiveInteger('--top-n', values['top-n']),
  };
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} is empty: give it a value or leave it out.`);
  return value;
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a whole number of at least 1; got "${value}".`);
  }
  return n;
}
