import { sameMembers, topIndexes } from './top.js';

export interface DecidedAgreement {
  /** Queries whose reference gap between the topN-th and the next score is wider than `margin`. */
  decided: number;
  /** Of those, how many got the same top-N set from the other scores. */
  sameSet: number;
}

/**
 * Top-N set agreement restricted to the queries where the reference's cut is wider than the other
 * variant's largest score error: there a faithful variant cannot change the set, so a miss is a bug,
 * not rounding. On random weights, where most cuts are closer than int8's error, this is the part of
 * the q8 smoke check that can actually fail.
 */
export function decidedAgreement(reference: readonly number[][], other: readonly number[][], topN: number, margin: number): DecidedAgreement {
  let decided = 0;
  let sameSet = 0;
  reference.forEach((scores, s) => {
    if (scores.length <= topN) return;
    const order = topIndexes(scores, topN + 1);
    if (scores[order[topN - 1]!]! - scores[order[topN]!]! <= margin) return;
    decided++;
    if (sameMembers(order.slice(0, topN), topIndexes(other[s]!, topN))) sameSet++;
  });
  return { decided, sameSet };
}
