import { CrossrankError } from '@crossrank/core';

/**
 * `postprocessNodes` was called with nodes but without a query (or with one that has no text):
 * a cross-encoder scores (query, text) pairs, so there is nothing to rank against.
 */
export class MissingQueryError extends CrossrankError {
  override name = 'MissingQueryError';
  override readonly code: string = 'CROSSRANK_MISSING_QUERY';
}
