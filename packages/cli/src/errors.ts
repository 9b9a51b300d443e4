import { CrossrankError } from '@crossrank/core';

/**
 * The command line was wrong: unknown option, bad value, missing file. The CLI prints the message
 * (no stack trace) and exits with code 2, the usual "usage error" status.
 */
export class UsageError extends CrossrankError {
  override name = 'UsageError';
  override readonly code: string = 'CROSSRANK_USAGE';
}

/**
 * An input file (candidates, corpus, queries, qrels) exists but its content cannot be read as the
 * expected format. The message names the file and line so it can be fixed.
 */
export class DataFormatError extends CrossrankError {
  override name = 'DataFormatError';
  override readonly code: string = 'CROSSRANK_DATA_FORMAT';
}

/**
 * A backend returned results that break the `Reranker` contract (index out of range or repeated,
 * score not a number). Evaluating such output would give meaningless figures, so the run stops.
 */
export class InvalidRerankResultError extends CrossrankError {
  override name = 'InvalidRerankResultError';
  override readonly code: string = 'CROSSRANK_INVALID_RERANK_RESULT';
}
