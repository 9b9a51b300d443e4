import { decidedAgreement } from './decided';

describe('decidedAgreement', () => {
  const reference = [
    [5, 4, 3, 1, 0], // cut between 3 and 1: gap 2, decided at margin 0.5
    [5, 4, 3, 2.8, 0], // gap 0.2: not decided
    [9, 1, 8, 7, 0], // top 3 = {0, 2, 3}, next is 1 with gap 6
  ];

  it('counts only queries whose top-N cut is wider than the margin', () => {
    const other = reference.map((row) => row.map((x) => x + 0.1));
    expect(decidedAgreement(reference, other, 3, 0.5)).toEqual({ decided: 2, sameSet: 2 });
  });

  it('reports a decided query whose set changed, and ignores order inside the set', () => {
    const other = [
      [3, 4, 5, 1, 0], // same set, other order
      [0, 0, 0, 9, 9], // undecided: not counted either way
      [9, 8.5, 8, 1, 0], // 1 pushed into the top 3 although the cut was 6 wide
    ];
    expect(decidedAgreement(reference, other, 3, 0.5)).toEqual({ decided: 2, sameSet: 1 });
  });

  it('decides nothing when the margin is wider than every cut, or a query has no more than N scores', () => {
    expect(decidedAgreement(reference, reference, 3, 10)).toEqual({ decided: 0, sameSet: 0 });
    expect(decidedAgreement([[3, 2, 1]], [[1, 2, 3]], 3, 0)).toEqual({ decided: 0, sameSet: 0 });
  });
});
