import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import {
  formatIssue,
  isLeaseEventType,
  uuidv7,
  validateEvent,
  type AppendAck,
  type EventBase,
  type EventsBulk,
  type OrderItem,
  type Station,
  type StoredEvent,
} from '@app/contracts';
import { checkLeaseForWrite, checkNextVersion, decideLease, type Lease, type LeaseAction, type LeaseDecision } from '@app/sync';
import { EdgeConfig } from '../config/edge-config.js';
import { InventoryRepository } from '../inventory/inventory.repository.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { TicketsRepository } from '../tickets/tickets.repository.js';
import type { AppendContext } from './append-context.js';
import { EventRelay } from './event-relay.js';
import { EventStoreRepository } from './event-store.repository.js';
import { RateLimiter } from './rate-limiter.js';
import { STATION_ROUTER, type StationRouter } from './station-router.js';

interface Pending {
  event: EventBase;
  ctx: AppendContext;
  resolve: (ack: AppendAck) => void;
}

interface Committed {
  event: StoredEvent;
  exceptSocketId: string | undefined;
}

const LEASE_ACTIONS: Record<string, LeaseAction> = { 'order.locked': 'acquire', 'order.lock.renew': 'renew', 'order.lock.released': 'release' };
const TICKET_TYPES = { kitchen: { aggregateType: 'kds', type: 'kds.ticket.created' }, bar: { aggregateType: 'bds', type: 'bds.ticket.created' } } as const;

/**
 * The hub's event store (SYSTEM.md 4.1). `append` checks an event, queues it, and resolves once it
 * is committed: appends that arrive while a commit runs (better-sqlite3 is synchronous, so while
 * the event loop is busy) are committed together in the next transaction, one fsync for the whole
 * group under synchronous=FULL. Committed events, and the tickets the hub derives from them, are
 * then relayed to the devices of the realm.
 */
@Injectable()
export class EventStoreService implements OnModuleInit {
  private readonly logger = new Logger(EventStoreService.name);
  private readonly limiter: RateLimiter;
  private queue: Pending[] = [];
  private scheduled = false;
  private seq = 0;
  private lamport = 0;
  private hubId = 'hub';

  constructor(
    private readonly config: EdgeConfig,
    private readonly events: EventStoreRepository,
    private readonly orders: OrdersRepository,
    private readonly tickets: TicketsRepository,
    private readonly inventory: InventoryRepository,
    private readonly relay: EventRelay,
    @Optional() @Inject(STATION_ROUTER) private readonly stations: StationRouter | null = null,
  ) {
    this.limiter = new RateLimiter(config.rateLimitPerSecond, config.rateLimitBurst);
  }

  onModuleInit(): void {
    this.seq = this.events.maxSeq();
    this.lamport = this.events.maxLamport();
    this.hubId = this.events.hubId();
  }

  /** Validates, commits (in a group) and relays one event; the ack says how it went. Never rejects. */
  append(input: unknown, ctx: AppendContext): Promise<AppendAck> {
    const checked = this.precheck(input, ctx);
    if ('ok' in checked) return Promise.resolve(checked);
    return new Promise<AppendAck>((resolve) => {
      this.queue.push({ event: checked, ctx, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Committed events after `afterSeq`, in `seq` order. */
  readAfter(afterSeq: number, limit: number): StoredEvent[] {
    return this.events.bodiesAfter(afterSeq, limit).map((body) => JSON.parse(body) as StoredEvent);
  }

  /** A catch-up page as `events.bulk` sends it. */
  page(afterSeq: number, limit: number): EventsBulk {
    const events = this.readAfter(afterSeq, limit);
    const nextCursor = events.length > 0 ? events[events.length - 1]!.seq : Math.min(afterSeq, this.seq);
    return { events, nextCursor, hasMore: nextCursor < this.seq };
  }

  latestSeq(): number {
    return this.seq;
  }

  /** The hub's Lamport clock: max of every clock it has seen, plus one per event. */
  currentLamport(): number {
    return this.lamport;
  }

  leaderId(): string {
    return this.hubId;
  }

  /** The cursor from which a `cursor.request {fromLamport}` replays. */
  cursorAtLamport(lamport: number): number {
    return this.events.seqBeforeLamport(lamport) ?? this.seq;
  }

  private precheck(input: unknown, ctx: AppendContext): AppendAck | EventBase {
    if (ctx.role === 'device') {
      const retryAfterMs = this.limiter.take(ctx.deviceId);
      if (retryAfterMs > 0) return { ok: false, code: 'RATE_LIMITED', message: `too many events from ${ctx.deviceId}`, retryAfterMs };
    }
    const result = validateEvent(input);
    if (!result.ok) return { ok: false, code: 'INVALID', message: `invalid event: ${result.issues.map(formatIssue).join('; ')}`, details: { issues: result.issues } };
    const event = result.value;
    if (event.tenantId !== this.config.tenantId || event.storeId !== this.config.storeId) {
      return { ok: false, code: 'REALM_MISMATCH', message: `event is for ${event.tenantId}/${event.storeId}, this hub serves ${this.config.tenantId}/${this.config.storeId}` };
    }
    if (ctx.role === 'device' && event.actor.deviceId !== ctx.deviceId) {
      const issues = [{ path: 'actor.deviceId', code: 'custom', message: `must be the device of the token (${ctx.deviceId})` }];
      return { ok: false, code: 'INVALID', message: `invalid event: actor.deviceId: ${issues[0]!.message}`, details: { issues } };
    }
    return event;
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const now = Date.now();
    const committed: Committed[] = [];
    const acks: AppendAck[] = [];
    const before = { seq: this.seq, lamport: this.lamport };
    try {
      this.events.transaction(() => {
        for (const pending of batch) acks.push(this.commitOne(pending, now, committed));
      });
    } catch (error) {
      this.seq = before.seq;
      this.lamport = before.lamport;
      this.logger.error({ err: error }, `group commit of ${batch.length} events failed`);
      for (const pending of batch) pending.resolve({ ok: false, code: 'UNAVAILABLE', message: 'the hub could not store the event; retry later' });
      return;
    }
    for (const { event, exceptSocketId } of committed) {
      try {
        this.relay.relay(event, exceptSocketId);
      } catch (error) {
        this.logger.error({ err: error }, `relay of seq ${event.seq} failed`);
      }
    }
    batch.forEach((pending, i) => pending.resolve(acks[i]!));
  }

  /** One event inside the group's transaction, in its own savepoint: a failure rolls back alone. */
  private commitOne(pending: Pending, now: number, committed: Committed[]): AppendAck {
    const before = { seq: this.seq, lamport: this.lamport, committed: committed.length };
    try {
      return this.events.transaction(() => this.decide(pending, now, committed));
    } catch (error) {
      this.seq = before.seq;
      this.lamport = before.lamport;
      committed.length = before.committed;
      this.logger.error({ err: error, eventId: pending.event.eventId }, 'event could not be stored');
      return { ok: false, code: 'UNAVAILABLE', message: 'the hub could not store the event; retry later' };
    }
  }

  private decide({ event, ctx }: Pending, now: number, committed: Committed[]): AppendAck {
    const original = this.events.seqOfEvent(event.eventId);
    if (original !== undefined) return { ok: true, seq: original, duplicate: true };

    let newLease: Lease | null | undefined;
    if (event.aggregateType === 'order' && ctx.origin === 'device') {
      const decision = this.leaseDecision(event, ctx.deviceId, now);
      if (!decision.ok) {
        return { ok: false, code: 'LOCKED', message: `order ${event.aggregateId} is leased by ${decision.holder}`, holder: decision.holder, expiresAt: new Date(decision.expiresAt).toISOString() };
      }
      if (isLeaseEventType(event.type)) newLease = decision.lease;
    }

    const current = this.events.aggregateVersion(event.aggregateType, event.aggregateId);
    // Inventory is a PN-counter: concurrent adjustments from several tills all count, so its
    // events are not ordered by version (their version is kept as the highest seen).
    if (event.aggregateType !== 'inventory') {
      const check = checkNextVersion(current, event.version);
      if (!check.ok) {
        return { ok: false, code: 'VERSION_CONFLICT', message: `${event.aggregateType} ${event.aggregateId} is at version ${current}; expected version ${check.expectedVersion}`, currentVersion: current };
      }
    }
    this.events.setAggregateVersion(event.aggregateType, event.aggregateId, Math.max(current, event.version));
    if (newLease !== undefined) this.events.setLease(event.aggregateId, newLease);

    this.lamport = Math.max(this.lamport, event.clock.lamport) + 1;
    const stored = this.store(event, ctx.origin);
    committed.push({ event: stored, exceptSocketId: ctx.socketId });
    this.project(stored, now, committed);
    return { ok: true, seq: stored.seq };
  }

  private leaseDecision(event: EventBase, deviceId: string, now: number): LeaseDecision {
    const current = this.events.lease(event.aggregateId);
    const action = LEASE_ACTIONS[event.type];
    if (!action) return checkLeaseForWrite(current, deviceId, now);
    const decision = decideLease(current, action, deviceId, now, (event.payload as { ttlSeconds?: number }).ttlSeconds);
    if (decision.ok && decision.lease && this.config.leaseTtlOverrideMs !== null) {
      return { ok: true, lease: { holder: decision.lease.holder, expiresAt: now + this.config.leaseTtlOverrideMs } };
    }
    return decision;
  }

  private store(event: EventBase, origin: 'device' | 'cloud'): StoredEvent {
    const stored: StoredEvent = { ...event, seq: this.seq + 1 };
    this.events.insert(stored, origin, JSON.stringify(stored));
    this.seq = stored.seq;
    return stored;
  }

  private project(event: StoredEvent, now: number, committed: Committed[]): void {
    switch (event.aggregateType) {
      case 'order': {
        const added = this.orders.apply(event);
        if (added.length > 0) this.createTickets(event.aggregateId, added, now, committed);
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
  private createTickets(orderId: string, items: OrderItem[], now: number, committed: Committed[]): void {
    const byStation = new Map<Station, OrderItem[]>();
    for (const item of items) {
      const routed = this.stations?.stationOf(item.sku);
      const station = routed === undefined ? (item.station ?? null) : routed;
      if (station) byStation.set(station, [...(byStation.get(station) ?? []), item]);
    }
    for (const [station, stationItems] of byStation) {
      this.lamport += 1;
      const { aggregateType, type } = TICKET_TYPES[station];
      const ticket: EventBase = {
        eventId: uuidv7(),
        tenantId: this.config.tenantId,
        storeId: this.config.storeId,
        aggregateType,
        aggregateId: uuidv7(),
        version: 1,
        type,
        at: new Date(now).toISOString(),
        actor: { deviceId: this.hubId },
        clock: { lamport: this.lamport, deviceId: this.hubId },
        payload: {
          orderId,
          station,
          items: stationItems.map(({ sku, qty, name, modifiers, note }) => ({ sku, qty, ...(name === undefined ? {} : { name }), ...(modifiers === undefined ? {} : { modifiers }), ...(note === undefined ? {} : { note }) })),
        },
      };
      this.events.setAggregateVersion(aggregateType, ticket.aggregateId, 1);
      const stored = this.store(ticket, 'device');
      committed.push({ event: stored, exceptSocketId: undefined });
      this.tickets.apply(stored);
    }
  }
}
