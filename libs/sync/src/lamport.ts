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
