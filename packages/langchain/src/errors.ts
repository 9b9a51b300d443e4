import { CrossrankError } from '@crossrank/core';

/**
 * The reranker behind a `CrossEncoderReranker` answered outside the `Reranker` contract (an index
 * that is not one of the documents, a repeated index, a score that is not a number, or results not
 * sorted best first). Raised instead of silently returning the wrong documents.
 */
export class RerankerOutputError extends CrossrankError {
  override name = 'RerankerOutputError';
  override readonly code: string = 'CROSSRANK_RERANKER_OUTPUT';
}
