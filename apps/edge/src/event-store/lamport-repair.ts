import { LAMPORT_BOUND, LAMPORT_STEP_MAX } from '@app/sync';
import type { SqliteDatabase } from '../database/sqlite-database.js';
import { LamportRepairRepository, type EventPastBound } from './lamport-repair.repository.js';

export interface LamportRepairResult {
  /** The hub's clock as stored (the highest `lamport` of its log). */
  clockBefore: number;
  /** The clock once repaired: the highest `lamport` at or below the bound (unchanged when nothing was past it). */
  clockAfter: number;
  /** The highest Lamport time kept as it is: LAMPORT_BOUND - LAMPORT_STEP_MAX, or `above`. */
  max: number;
  /** The events whose Lamport time is past it. */
  events: EventPastBound[];
  applied: boolean;
}

/**
 * The recovery of a hub whose stored clock went past its bound (it took a clock near 2^53 before
 * the bound existed; docs/edge.md). The hub's clock is the highest `lamport` in its log, so the
 * repair brings the events past the bound back to the clock of the others: their `lamport`
 * column (the hub's index) is set to the highest Lamport time at or below the bound, which the
 * clock then restarts from. Their bodies stay as the devices and the cloud received them, and the
 * change is recorded in `meta` (`lamport.repairs`). Run it on a stopped hub; without `apply` it
 * only reports.
 */
export function repairLamportClock(db: SqliteDatabase, options: { apply: boolean; now?: Date; above?: number }): LamportRepairResult {
  const repository = new LamportRepairRepository(db);
  // `above`: a lower threshold, for a hub brought to its bound by an event just inside it (one
  // started with a huge EDGE_MAX_LAMPORT_SKEW): every event past it is brought back.
  const bound = LAMPORT_BOUND - LAMPORT_STEP_MAX;
  if (options.above !== undefined && !(Number.isSafeInteger(options.above) && options.above >= 0 && options.above <= bound)) {
    throw new RangeError(`--above must be a whole number from 0 to ${bound}`);
  }
  const max = options.above ?? bound;
  const clockBefore = repository.clock();
  const events = repository.eventsPast(max);
  if (events.length === 0) return { clockBefore, clockAfter: clockBefore, max, events, applied: false };
  const clockAfter = repository.clockWithin(max);
  if (options.apply) {
    repository.rewrite(events, clockAfter, {
      at: (options.now ?? new Date()).toISOString(),
      clockBefore,
      clockAfter,
      events: events.map(({ seq, eventId, lamport }) => ({ seq, eventId, lamport })),
    });
  }
  return { clockBefore, clockAfter, max, events, applied: options.apply };
}
