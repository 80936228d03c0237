import { nonNegativeIntSchema, type ProjectionSkipReason } from '@app/contracts';
import { dayInTimeZone } from '../common/time-zone.js';

/** An ingested event as the sales projection reads it. */
export interface ProjectedEvent {
  cloudSeq: number;
  eventId: string;
  type: string;
  /** The `at` column; an Invalid Date when it holds no instant (a zero date, 0000-00-00). */
  at: Date;
  /** order.paid only: `payload.totalCents` as stored, any JSON (undefined when absent). */
  totalCents?: unknown;
  /** order.paid only, to say what went wrong: the `at` column as text, and `at` as the event carried it. */
  storedAt?: string | null;
  eventAt?: string | null;
}

export interface DaySums {
  orders: number;
  salesCents: number;
}

/** An event the projection cannot count, and why: recorded as a dead letter, never a reason to stop. */
export interface SkippedEvent {
  cloudSeq: number;
  eventId: string;
  type: string;
  reason: ProjectionSkipReason;
  detail: string;
}

export interface SalesPage {
  sums: Map<string, DaySums>;
  skipped: SkippedEvent[];
}

/**
 * Sums a page of events into orders paid and sales per day of the store's time zone. A paid order
 * that cannot be counted is skipped with its reason, so that one bad row (stored before ingest
 * refused such values, or written behind its back) never stops the projection of every later one:
 * - invalid_time: its time is no instant (an `at` beyond year 9999 in UTC was stored as 0000-00-00);
 * - invalid_amount: `payload.totalCents` is no non-negative safe integer (missing, a string, 1.5).
 */
export function projectSales(events: readonly ProjectedEvent[], timeZone: string): SalesPage {
  const sums = new Map<string, DaySums>();
  const skipped: SkippedEvent[] = [];
  for (const event of events) {
    if (event.type !== 'order.paid') continue;
    const skip = (reason: ProjectionSkipReason, detail: string) =>
      skipped.push({ cloudSeq: event.cloudSeq, eventId: event.eventId, type: event.type, reason, detail });
    const day = dayOf(event, timeZone);
    if (!day.ok) {
      skip('invalid_time', day.detail);
      continue;
    }
    const amount = nonNegativeIntSchema.safeParse(event.totalCents);
    if (!amount.success) {
      skip(
        'invalid_amount',
        `payload.totalCents is ${event.totalCents === undefined ? 'missing' : JSON.stringify(event.totalCents)}, not a non-negative integer`,
      );
      continue;
    }
    const current = sums.get(day.day) ?? { orders: 0, salesCents: 0 };
    sums.set(day.day, { orders: current.orders + 1, salesCents: current.salesCents + amount.data });
  }
  return { sums, skipped };
}

function dayOf(event: ProjectedEvent, timeZone: string): { ok: true; day: string } | { ok: false; detail: string } {
  const carried = event.eventAt ? `at ${event.eventAt}` : 'its at';
  if (Number.isNaN(event.at.getTime())) return { ok: false, detail: `${carried} was stored as ${event.storedAt ?? 'no date'}, which is no instant` };
  try {
    return { ok: true, day: dayInTimeZone(event.at, timeZone) };
  } catch (error) {
    return { ok: false, detail: `${carried} has no day in ${timeZone}: ${(error as Error).message}` };
  }
}
