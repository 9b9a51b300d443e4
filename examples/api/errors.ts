import { InvalidInputError } from '@crossrank/core';

/** A command-line flag is missing, unknown or out of range. */
export class UsageError extends InvalidInputError {}
