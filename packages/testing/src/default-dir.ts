import { isAbsolute, join } from 'node:path';
import { InvalidInputError } from '@crossrank/core';
import { describeValue } from './options.js';

/**
 * Where tests keep generated models: `$CROSSRANK_CACHE_DIR/models/<name>`, or
 * `<cwd>/.cache/crossrank/models/<name>` (git-ignored) when the variable is unset.
 */
export function defaultTestModelDir(name: string): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidInputError(`defaultTestModelDir needs a non-empty model name like 'tiny', got ${describeValue(name)}.`);
  }
  if (isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
    throw new InvalidInputError(`defaultTestModelDir name ${JSON.stringify(name)} must stay inside the cache folder: use a plain name like 'tiny'.`);
  }
  const cache = process.env.CROSSRANK_CACHE_DIR || join(process.cwd(), '.cache', 'crossrank');
  return join(cache, 'models', name);
}
