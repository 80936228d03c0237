import { emptyPnCounter, pnApply, pnMerge, pnValue, type PnCounter } from './pn-counter.js';

function replay(deltas: [string, number][]): PnCounter {
  return deltas.reduce((c, [node, delta]) => pnApply(c, node, delta), emptyPnCounter());
}

describe('PN-counter', () => {
  describe('pnApply', () => {
    it('should count increments and decrements per node', () => {
      // given a stock delivery of 10 and two sales, then 7 are left
      const c = replay([
        ['hq', 10],
        ['till-a', -2],
        ['till-b', -1],
      ]);
      expect(pnValue(c)).toBe(7);
      expect(c).toEqual({ p: { hq: 10 }, n: { 'till-a': 2, 'till-b': 1 } });
    });

    it('should refuse a fractional delta', () => {
      expect(() => pnApply(emptyPnCounter(), 'x', 0.5)).toThrow(RangeError);
    });

    it('should leave the counter unchanged for 0', () => {
      const c = replay([['a', 3]]);
      expect(pnApply(c, 'a', 0)).toBe(c);
    });
  });

  describe('pnMerge', () => {
    // given two replicas that saw different concurrent writes
    const left = replay([
      ['hq', 10],
      ['till-a', -2],
    ]);
    const right = replay([
      ['hq', 10],
      ['till-b', -3],
      ['till-b', -1],
    ]);

    it('should converge to the sum of every node contribution', () => {
      expect(pnValue(pnMerge(left, right))).toBe(4);
    });

    it('should be commutative, associative and idempotent', () => {
      const third = replay([['till-c', 5]]);
      expect(pnMerge(left, right)).toEqual(pnMerge(right, left));
      expect(pnMerge(pnMerge(left, right), third)).toEqual(pnMerge(left, pnMerge(right, third)));
      expect(pnMerge(left, left)).toEqual(left);
      expect(pnMerge(pnMerge(left, right), right)).toEqual(pnMerge(left, right));
    });
  });
});
