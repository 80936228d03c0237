import { isLeaseEventType, uuidv7, type AppendAck, type EventBase, type OrderItem, type Station, type StoredEvent } from '@app/contracts';
import {
  checkLamportBound,
  checkLamportSkew,
  checkLeaseForWrite,
  checkNextVersion,
  decideLease,
  type Lease,
  type LeaseAction,
  type LeaseDecision,
} from '@app/sync';
import type { SqliteDatabase } from '../database/sqlite-database.js';
import { InventoryRepository } from '../inventory/inventory.repository.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { TicketsRepository } from '../tickets/tickets.repository.js';
import { ticketsForOrderLines } from '../tickets/ticket-derivation.js';
import { EventStoreRepository } from './event-store.repository.js';

/** One validated event to commit, with what the writer needs to know about its sender. */
export interface WriteRequest {
  event: EventBase;
  deviceId: string;
  origin: 'device' | 'cloud';
  /** Station of each SKU of an order event's items, from the menu (absent: use the item's own). */
  stations?: Record<string, Station | null>;
}

/** A write the writer could not make: the error, and the events it left unstored (UNAVAILABLE). */
export interface WriteFailure {
  error: unknown;
  /** The group's first attempt (then retried one by one), or one event's own transaction. */
  scope: 'group' | 'event';
  eventIds: string[];
}

export interface WriteResult {
  acks: AppendAck[];
  /** Every write that failed, in order: the caller logs them and tracks the disk's health. */
  failures: WriteFailure[];
  /** Events the hub made itself (tickets), in seq order, each after the request it came from. */
  derived: { after: number; event: StoredEvent }[];
  seq: number;
  lamport: number;
}

export interface WriterSettings {
  tenantId: string;
  storeId: string;
  hubId: string;
  leaseTtlOverrideMs: number | null;
  /** EDGE_MAX_LAMPORT_SKEW: how far ahead of the hub's clock an event's Lamport time may be. */
  maxLamportSkew: number;
}

const LEASE_ACTIONS: Record<string, LeaseAction> = { 'order.locked': 'acquire', 'order.lock.renew': 'renew', 'order.lock.released': 'release' };

const UNAVAILABLE: AppendAck = { ok: false, code: 'UNAVAILABLE', message: 'the hub could not store the event; retry later' };

/** The refusal of an event whose Lamport time is too far ahead (INVALID: resending cannot help). */
function lamportTooFarAhead(lamport: number, hubClock: number, maxSkew: number): AppendAck {
  const message =
    `clock.lamport ${lamport} is ${lamport - hubClock} ahead of the hub's clock ${hubClock}; at most ${maxSkew} ahead is ` + `accepted (EDGE_MAX_LAMPORT_SKEW)`;
  return { ok: false, code: 'INVALID', message: `invalid event: ${message}`, details: { issues: [{ path: 'clock.lamport', code: 'too_big', message }] } };
}

/** An event whose own clock is past the last value the hub's bound can take (INVALID: resending cannot help). */
function lamportPastBound(lamport: number, max: number): AppendAck {
  const message = `clock.lamport ${lamport} is past ${max}, the highest Lamport time the hub takes (its clock stays below 2^52)`;
  return { ok: false, code: 'INVALID', message: `invalid event: ${message}`, details: { issues: [{ path: 'clock.lamport', code: 'too_big', message }] } };
}

/** The hub's clock is at its bound: nothing is wrong with the event, the hub needs its clock repaired. */
export function clockExhausted(hubClock: number, max: number): AppendAck {
  return {
    ok: false,
    code: 'CLOCK_EXHAUSTED',
    message:
      `the hub's Lamport clock ${hubClock} is past ${max}, its bound: it takes no event until an operator repairs it (docs/edge.md, ` +
      `The Lamport clock); keep the event and retry later`,
  };
}

/**
 * The single writer of the event log (SYSTEM.md 4.1): commits a group of events in one
 * transaction (one fsync under synchronous=FULL), applying the rules in order: dedupe by eventId,
 * the Lamport skew and its absolute bound, lease, version, then the event, the read models and the tickets derived
 * from it. It holds only a
 * database connection, no Nest or socket state. (Running it in a worker thread, so that relays
 * never wait on an fsync, was measured: it cost 40 MB of RSS and 50% more CPU per event for no
 * clear latency gain on the 2-core box, so it runs on the main thread.)
 */
export class EventWriter {
  private readonly events: EventStoreRepository;
  private readonly orders: OrdersRepository;
  private readonly tickets: TicketsRepository;
  private readonly inventory: InventoryRepository;
  private seq: number;
  private lamport: number;

  constructor(
    db: SqliteDatabase,
    private readonly settings: WriterSettings,
  ) {
    this.events = new EventStoreRepository(db);
    this.orders = new OrdersRepository(db);
    this.tickets = new TicketsRepository(db);
    this.inventory = new InventoryRepository(db);
    this.seq = this.events.maxSeq();
    this.lamport = this.events.maxLamport();
  }

  commit(batch: readonly WriteRequest[], now = Date.now()): WriteResult {
    const before = { seq: this.seq, lamport: this.lamport };
    let derived: WriteResult['derived'] = [];
    let acks: AppendAck[] = [];
    const failures: WriteFailure[] = [];
    try {
      // `decide` writes only once an event has passed every check: a refusal needs no rollback.
      this.events.transaction(() => {
        batch.forEach((request, i) => acks.push(this.decide(request, i, now, derived)));
      });
    } catch (error) {
      // A failed group (disk full, a bug on one event) is retried one event per transaction.
      failures.push({ error, scope: 'group', eventIds: batch.map((r) => r.event.eventId) });
      this.seq = before.seq;
      this.lamport = before.lamport;
      derived = [];
      acks = batch.map((request, i) => this.commitAlone(request, i, now, derived, failures));
    }
    return { acks, failures, derived, seq: this.seq, lamport: this.lamport };
  }

  private commitAlone(request: WriteRequest, index: number, now: number, derived: WriteResult['derived'], failures: WriteFailure[]): AppendAck {
    const before = { seq: this.seq, lamport: this.lamport, derived: derived.length };
    try {
      return this.events.transaction(() => this.decide(request, index, now, derived));
    } catch (error) {
      failures.push({ error, scope: 'event', eventIds: [request.event.eventId] });
      this.seq = before.seq;
      this.lamport = before.lamport;
      derived.length = before.derived;
      return UNAVAILABLE;
    }
  }

  private decide({ event, deviceId, origin, stations }: WriteRequest, index: number, now: number, derived: WriteResult['derived']): AppendAck {
    const original = this.events.seqOfEvent(event.eventId);
    if (original !== undefined) return { ok: true, seq: original, duplicate: true };

    // Against the clock as the events before it in this group left it, as if each came alone.
    const skew = checkLamportSkew(this.lamport, event.clock.lamport, this.settings.maxLamportSkew);
    if (!skew.ok) return lamportTooFarAhead(event.clock.lamport, this.lamport, skew.maxSkew);
    // And never past the bound (2^52), whatever EDGE_MAX_LAMPORT_SKEW allows: the clock, and the
    // tickets stamped with it, stay far from the schema's maximum.
    const bound = checkLamportBound(this.lamport, event.clock.lamport);
    if (!bound.ok) return bound.culprit === 'event' ? lamportPastBound(event.clock.lamport, bound.max) : clockExhausted(this.lamport, bound.max);

    let newLease: Lease | null | undefined;
    if (event.aggregateType === 'order' && origin === 'device') {
      const decision = this.leaseDecision(event, deviceId, now);
      if (!decision.ok) {
        return {
          ok: false,
          code: 'LOCKED',
          message: `order ${event.aggregateId} is leased by ${decision.holder}`,
          holder: decision.holder,
          expiresAt: new Date(decision.expiresAt).toISOString(),
        };
      }
      if (isLeaseEventType(event.type)) newLease = decision.lease;
    }

    const current = this.events.aggregateVersion(event.aggregateType, event.aggregateId);
    // Inventory is a PN-counter: concurrent adjustments from several tills all count, so its
    // events are not ordered by version (the highest seen is kept).
    if (event.aggregateType !== 'inventory') {
      const check = checkNextVersion(current, event.version);
      if (!check.ok) {
        return {
          ok: false,
          code: 'VERSION_CONFLICT',
          message: `${event.aggregateType} ${event.aggregateId} is at version ${current}; expected version ${check.expectedVersion}`,
          currentVersion: current,
        };
      }
    }
    this.events.setAggregateVersion(event.aggregateType, event.aggregateId, Math.max(current, event.version));
    if (newLease !== undefined) this.events.setLease(event.aggregateId, newLease);

    this.lamport = Math.max(this.lamport, event.clock.lamport) + 1;
    const stored = this.store(event, origin);
    this.project(stored, index, now, stations, derived);
    return { ok: true, seq: stored.seq };
  }

  private leaseDecision(event: EventBase, deviceId: string, now: number): LeaseDecision {
    const current = this.events.lease(event.aggregateId);
    const action = LEASE_ACTIONS[event.type];
    if (!action) return checkLeaseForWrite(current, deviceId, now);
    const decision = decideLease(current, action, deviceId, now, (event.payload as { ttlSeconds?: number }).ttlSeconds);
    if (decision.ok && decision.lease && this.settings.leaseTtlOverrideMs !== null) {
      return { ok: true, lease: { holder: decision.lease.holder, expiresAt: now + this.settings.leaseTtlOverrideMs } };
    }
    return decision;
  }

  private store(event: EventBase, origin: 'device' | 'cloud'): StoredEvent {
    const stored: StoredEvent = { ...event, seq: this.seq + 1 };
    this.events.insert(stored, origin, JSON.stringify(stored));
    this.seq = stored.seq;
    return stored;
  }

  private project(event: StoredEvent, index: number, now: number, stations: WriteRequest['stations'], derived: WriteResult['derived']): void {
    switch (event.aggregateType) {
      case 'order': {
        const added = this.orders.apply(event);
        if (added.length > 0) this.createTickets(event.aggregateId, added, index, now, stations, derived);
        return;
      }
      case 'kds':
      case 'bds':
        this.tickets.apply(event);
        return;
      case 'inventory':
        this.inventory.apply(event);
        return;
      case 'payment':
        return;
    }
  }

  /** The hub's own `kds.ticket.created` / `bds.ticket.created` events, one per station. */
  private createTickets(
    orderId: string,
    items: OrderItem[],
    index: number,
    now: number,
    stations: WriteRequest['stations'],
    derived: WriteResult['derived'],
  ): void {
    const { tenantId, storeId, hubId } = this.settings;
    for (const { station, aggregateType, type, items: ticketItems } of ticketsForOrderLines(items, stations)) {
      this.lamport += 1;
      const ticket: EventBase = {
        eventId: uuidv7(now),
        tenantId,
        storeId,
        aggregateType,
        aggregateId: uuidv7(now),
        version: 1,
        type,
        at: new Date(now).toISOString(),
        actor: { deviceId: hubId },
        clock: { lamport: this.lamport, deviceId: hubId },
        payload: { orderId, station, items: ticketItems },
      };
      this.events.setAggregateVersion(aggregateType, ticket.aggregateId, 1);
      const stored = this.store(ticket, 'device');
      this.tickets.apply(stored);
      derived.push({ after: index, event: stored });
    }
  }
}
