import { MissingApiKeyError } from '@crossrank/api';
import type { EvalArgs } from './args.js';
import { UsageError } from './errors.js';

/**
 * The API key named by `--api-key-env <NAME>`, read from that environment variable. The key itself is
 * never a flag: command lines are visible to every user of the machine (`ps`) and kept in shell history.
 */
export function apiKeyFromEnv(args: Pick<EvalArgs, 'apiKeyEnv'>): { apiKey?: string } {
  const name = args.apiKeyEnv;
  if (name === undefined) return {};
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new UsageError(`--api-key-env ${name}: the environment variable ${name} is not set (or is empty). Export it, or leave out --api-key-env to use the backend's default variable.`);
  }
  return { apiKey: value };
}

/**
 * The API packages' MissingApiKeyError tells a library user to pass `new CohereReranker({ apiKey })`;
 * on the command line the ways in are the environment variable and `--api-key-env`.
 */
export function cliMissingKeyError(error: unknown, backend: string): UsageError | undefined {
  if (!(error instanceof MissingApiKeyError)) return undefined;
  return new UsageError(
    `--backend ${backend} needs a ${error.provider} API key: set ${error.envVars.join(' or ')}, or name the variable that holds it with --api-key-env <NAME>.`,
    { cause: error },
  );
}
