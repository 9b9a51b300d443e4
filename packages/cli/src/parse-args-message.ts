import { closestKey } from '@crossrank/core';

/**
 * util.parseArgs' words for a mistake, without its stack. For an unknown option its advice (about
 * positional arguments after '--') misleads: say instead which option was meant, by crossrank's one
 * rule for unknown keys (closest valid name by edit distance). `options` is the command's parseArgs table.
 */
export function parseArgsMessage(error: Error, options: Readonly<Record<string, unknown>>): string {
  const unknown = (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '(-{1,2})([^']+)'/.exec(error.message) : null;
  if (!unknown) return `${error.message.replace(/\.$/, '')}.`;
  const suggestion = closestKey(unknown[2]!, Object.keys(options));
  return `Unknown option '${unknown[1]}${unknown[2]}'.${suggestion === undefined ? '' : ` Did you mean "--${suggestion}"?`}`;
}
