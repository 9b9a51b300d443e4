// The contract's ranking helpers live in @crossrank/core, shared with every other backend.
export { describeValue as describe, rankScores, throwIfAborted, validateRerankArgs } from '@crossrank/core';
