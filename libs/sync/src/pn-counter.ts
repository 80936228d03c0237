/**
 * A PN-counter CRDT (seed 000: inventory tolerates concurrent writers): each node only grows its
 * own positive and negative totals, so states merge by taking the larger total per node, in any
 * order, any number of times, and converge.
 */
export interface PnCounter {
  readonly p: Readonly<Record<string, number>>;
  readonly n: Readonly<Record<string, number>>;
}

export function emptyPnCounter(): PnCounter {
  return { p: {}, n: {} };
}

export function pnApply(counter: PnCounter, nodeId: string, delta: number): PnCounter {
  if (!Number.isInteger(delta)) throw new RangeError('delta must be an integer');
  if (delta > 0) return { p: { ...counter.p, [nodeId]: (counter.p[nodeId] ?? 0) + delta }, n: counter.n };
  if (delta < 0) return { p: counter.p, n: { ...counter.n, [nodeId]: (counter.n[nodeId] ?? 0) - delta } };
  return counter;
}

function mergeSide(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [node, total] of Object.entries(b)) out[node] = Math.max(out[node] ?? 0, total);
  return out;
}

export function pnMerge(a: PnCounter, b: PnCounter): PnCounter {
  return { p: mergeSide(a.p, b.p), n: mergeSide(a.n, b.n) };
}

export function pnValue(counter: PnCounter): number {
  const sum = (side: Readonly<Record<string, number>>) => Object.values(side).reduce((total, v) => total + v, 0);
  return sum(counter.p) - sum(counter.n);
}
