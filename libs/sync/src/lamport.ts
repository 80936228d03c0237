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
