/**
 * Lamport clocks (seed 000 section 3): a device ticks its clock for each event it creates and, on
 * receiving an event, moves to max(local, remote) + 1. Replay order is (lamport, eventId).
 */
export function lamportTick(local: number): number {
  return local + 1;
}

export function lamportReceive(local: number, remote: number): number {
  return Math.max(local, remote) + 1;
}

/**
 * How far ahead of the hub's clock an event's Lamport time may be, by default. An honest device
 * leads the hub only by the events it made while it could not reach it: it left with a clock no
 * higher than the hub's (it had taken in every relay), then ticked once per event offline. A
 * million is more than a till makes in months of trade offline (a long shift is a few thousand),
 * yet one bad clock (a device that stamps `Date.now()`, about 1.7e12) or a hostile one can no
 * longer move the hub's clock towards 2^53 in one step.
 */
export const DEFAULT_MAX_LAMPORT_SKEW = 1_000_000;

export type LamportSkewCheck = { ok: true } | { ok: false; ahead: number; maxSkew: number };

/**
 * May an event stamped `remote` be taken by a hub whose clock is `local`? Only when it is at most
 * `maxSkew` ahead; any clock behind or at the hub's is fine (old events, concurrent devices).
 */
export function checkLamportSkew(local: number, remote: number, maxSkew: number): LamportSkewCheck {
  const ahead = remote - local;
  if (ahead <= maxSkew) return { ok: true };
  return { ok: false, ahead, maxSkew };
}

/**
 * The hub's Lamport clock never passes this: half the schema's safe-integer range (2^52; a million
 * events a second would take 142 years to get there). What lies above is headroom, so that the
 * hub's clock, and the tickets it stamps with it, never reach Number.MAX_SAFE_INTEGER, after
 * which the clock could not advance and every event would fail the schema (issue 13, finding 4).
 */
export const LAMPORT_BOUND = 2 ** 52;

/** The most one event moves the hub's clock: itself, then a ticket for each station (kitchen, bar). */
export const LAMPORT_STEP_MAX = 3;

/**
 * `event`: the event's own clock is too close to the bound for it to be taken (the event is bad,
 * resending it cannot help); `clock`: the hub's clock is (every append is refused until an operator
 * repairs it: docs/edge.md). `max` is the highest value either may have.
 */
export type LamportBoundCheck = { ok: true } | { ok: false; culprit: 'event' | 'clock'; max: number };

/** Can a hub whose clock is `local` take an event stamped `remote` and stay at or below `bound`? */
export function checkLamportBound(local: number, remote: number, bound = LAMPORT_BOUND): LamportBoundCheck {
  const max = bound - LAMPORT_STEP_MAX;
  if (remote > max) return { ok: false, culprit: 'event', max };
  if (local > max) return { ok: false, culprit: 'clock', max };
  return { ok: true };
}
