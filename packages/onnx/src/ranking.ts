// The contract's ranking helpers live in @crossrank/core, shared with every other backend.
export {
  abortError,
  checkSignal,
  describeValue as describe,
  rankScores,
  snapshotRerankArgs,
  throwIfAborted,
  UNBOUNDED_SCORE_RANGE,
  UNIT_SCORE_RANGE,
  validateRerankArgs,
  type ScoreRange,
} from '@crossrank/core';
