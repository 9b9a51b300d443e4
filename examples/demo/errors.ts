import { CrossrankError, InvalidInputError } from '@crossrank/core';

/** A command-line flag is missing, unknown or out of range. */
export class UsageError extends InvalidInputError {}

/** The demo's passage file is missing or malformed. */
export class CorpusError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_DEMO_CORPUS';
}

/** The optional answer step (OpenAI Chat Completions) failed. */
export class GenerationError extends CrossrankError {
  override readonly code: string = 'CROSSRANK_DEMO_GENERATION';
}
