import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { checkLamportBound } from '@app/sync';
import { formatIssue, validateEvent, type AppendAck, type EventBase, type EventPayload, type EventsBulk, type Station, type StoredEvent } from '@app/contracts';
import { EdgeConfig } from '../config/edge-config.js';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';
import { EdgeMetrics } from '../metrics/edge-metrics.js';
import type { AppendContext } from './append-context.js';
import { EventRelay, type Committed } from './event-relay.js';
import { EventStoreRepository } from './event-store.repository.js';
import { EventWriter, type WriteFailure, type WriteRequest, type WriteResult } from './event-writer.js';
import { RateLimiter } from './rate-limiter.js';
import { WriteHealth, diskFaultOf, reasonOf } from './write-health.js';
import { STATION_ROUTER, type StationRouter } from './station-router.js';

const SLOW_COMMIT_MS = 100;

interface Pending {
  event: EventBase;
  ctx: AppendContext;
  resolve: (ack: AppendAck) => void;
  /** performance.now() when the append arrived: its ack latency is measured from here. */
  receivedAt: number;
}

/**
 * The hub's event store (SYSTEM.md 4.1). `append` checks an event (schema, realm, sender, rate),
 * queues it, and resolves once it is committed. The queue is committed as one group by the
 * EventWriter (dedupe, lease, version, read models, tickets; one fsync per group under
 * synchronous=FULL); better-sqlite3 is synchronous, so appends that arrive while a group commits
 * wait in the socket buffers and form the next group. Committed events, and the tickets derived
 * from them, are then relayed to the devices of the realm, then acked.
 */
@Injectable()
export class EventStoreService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventStoreService.name);
  private readonly limiter: RateLimiter;
  private queue: Pending[] = [];
  private scheduled = false;
  private writer: EventWriter | null = null;
  private seq = 0;
  private lamport = 0;
  private hubId = 'hub';

  constructor(
    private readonly config: EdgeConfig,
    @Inject(SQLITE) private readonly db: SqliteDatabase,
    private readonly events: EventStoreRepository,
    private readonly relay: EventRelay,
    private readonly metrics: EdgeMetrics,
    private readonly writeHealth: WriteHealth,
    @Optional() @Inject(STATION_ROUTER) private readonly stations: StationRouter | null = null,
  ) {
    this.limiter = new RateLimiter(config.rateLimitPerSecond, config.rateLimitBurst);
  }

  onModuleInit(): void {
    this.seq = this.events.maxSeq();
    this.lamport = this.events.maxLamport();
    this.hubId = this.events.hubId();
    this.checkClock();
    this.writer = new EventWriter(this.db, {
      tenantId: this.config.tenantId,
      storeId: this.config.storeId,
      hubId: this.hubId,
      leaseTtlOverrideMs: this.config.leaseTtlOverrideMs,
      maxLamportSkew: this.config.maxLamportSkew,
    });
  }

  /**
   * A hub whose stored clock is past its bound (it took a clock near 2^53 before the bound existed)
   * refuses every append with CLOCK_EXHAUSTED: said loudly at start, and on /healthz.
   */
  private checkClock(): void {
    const bound = checkLamportBound(this.lamport, 0);
    if (bound.ok) return;
    const message =
      `the hub's Lamport clock ${this.lamport} is past its bound ${bound.max}: every append is refused CLOCK_EXHAUSTED until ` +
      `it is repaired; stop the hub and run \`node dist/apps/edge/src/event-store/lamport-repair.main.js\` (docs/edge.md, The Lamport clock)`;
    this.logger.error({ lamport: this.lamport, bound: bound.max }, message);
    this.writeHealth.clockExhausted(message);
  }

  onModuleDestroy(): void {
    this.writer = null;
    this.metrics.countRefused('UNAVAILABLE', this.queue.length);
    for (const pending of this.queue.splice(0)) pending.resolve({ ok: false, code: 'UNAVAILABLE', message: 'the hub is shutting down; retry later' });
  }

  /** Validates, commits (in a group) and relays one event; the ack says how it went. Never rejects. */
  append(input: unknown, ctx: AppendContext): Promise<AppendAck> {
    const receivedAt = performance.now();
    const checked = this.precheck(input, ctx);
    if ('ok' in checked) {
      this.metrics.countAck(checked);
      return Promise.resolve(checked);
    }
    return new Promise<AppendAck>((resolve) => {
      this.queue.push({ event: checked, ctx, resolve, receivedAt });
      this.scheduleFlush();
    });
  }

  /** Committed events after `afterSeq`, in `seq` order. */
  readAfter(afterSeq: number, limit: number): StoredEvent[] {
    // One parse of the joined bodies is about twice as fast as a parse per row.
    return JSON.parse(`[${this.events.bodiesAfter(afterSeq, limit).join(',')}]`) as StoredEvent[];
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
    if (!result.ok)
      return { ok: false, code: 'INVALID', message: `invalid event: ${result.issues.map(formatIssue).join('; ')}`, details: { issues: result.issues } };
    const event = result.value;
    if (event.tenantId !== this.config.tenantId || event.storeId !== this.config.storeId) {
      return {
        ok: false,
        code: 'REALM_MISMATCH',
        message: `event is for ${event.tenantId}/${event.storeId}, this hub serves ${this.config.tenantId}/${this.config.storeId}`,
      };
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
    if (!this.writer) {
      this.metrics.countRefused('UNAVAILABLE', batch.length);
      for (const pending of batch) pending.resolve({ ok: false, code: 'UNAVAILABLE', message: 'the hub is not accepting events now; retry later' });
      return;
    }
    let result: WriteResult;
    try {
      const started = performance.now();
      result = this.writer.commit(
        batch.map(({ event, ctx }) => this.request(event, ctx)),
        Date.now(),
      );
      const tookMs = performance.now() - started;
      this.metrics.observeCommit(batch.length, tookMs / 1000);
      // Every device waits on a commit (the fsync of synchronous=FULL): a slow disk shows here.
      if (tookMs >= SLOW_COMMIT_MS)
        this.logger.warn({ events: batch.length, tookMs: Math.round(tookMs) }, `slow group commit: ${batch.length} events in ${Math.round(tookMs)} ms`);
    } catch (error) {
      this.logger.error({ err: error, reason: reasonOf(error) }, `the event writer failed a group of ${batch.length}: ${reasonOf(error)}`);
      this.noteFailures([{ error, scope: 'group', eventIds: batch.map((p) => p.event.eventId) }], 0);
      this.metrics.countRefused('UNAVAILABLE', batch.length);
      for (const pending of batch) pending.resolve({ ok: false, code: 'UNAVAILABLE', message: 'the hub could not store the event; retry later' });
      return;
    }
    this.noteFailures(result.failures, result.acks.filter((a) => a.ok && !a.duplicate).length);
    this.finish(batch, result);
  }

  /**
   * Logs every failed write with its reason (one line per group, and one for the events it then
   * could not store alone), and tells WriteHealth: a disk fault (SQLITE_FULL...) makes /healthz
   * answer 503 until a write goes through again.
   */
  private noteFailures(failures: readonly WriteFailure[], stored: number): void {
    const group = failures.find((f) => f.scope === 'group');
    const alone = failures.filter((f) => f.scope === 'event');
    if (group) {
      const events = group.eventIds.length;
      this.logger.warn(
        { err: group.error, reason: reasonOf(group.error), events },
        `group commit of ${events} events failed (${reasonOf(group.error)}); retrying them one by one`,
      );
    }
    if (alone.length > 0) {
      const reasons = [...new Set(alone.map((f) => reasonOf(f.error)))];
      const eventIds = alone.flatMap((f) => f.eventIds);
      this.logger.error(
        { err: alone[0]!.error, reasons, events: eventIds.length, eventIds: eventIds.slice(0, 10) },
        `${eventIds.length} events could not be stored, refused UNAVAILABLE: ${reasons.join('; ')}`,
      );
    }
    const fault = failures.map((f) => ({ kind: diskFaultOf(f.error), f })).find((x) => x.kind !== null);
    if (fault?.kind) {
      if (this.writeHealth.diskFailed(fault.kind, reasonOf(fault.f.error))) {
        this.logger.error(
          { reason: reasonOf(fault.f.error) },
          `the hub cannot write its events (${fault.kind}: ${reasonOf(fault.f.error)}): devices get UNAVAILABLE and keep them; /healthz ` +
            `answers 503 ${fault.kind}`,
        );
      }
    } else if (stored > 0) {
      this.diskRecovered();
    }
  }

  /** A write went through: a disk fault, if there was one, is over. Also called by the disk probe. */
  diskRecovered(): void {
    const cleared = this.writeHealth.diskWritten();
    if (cleared) this.logger.warn({ since: cleared.since }, `the hub writes its events again (${cleared.code} since ${cleared.since})`);
  }

  /** After a group commit: relay what was committed (in seq order), then ack every sender. */
  private finish(batch: Pending[], result: WriteResult): void {
    this.seq = result.seq;
    this.lamport = result.lamport;
    const committed: Committed[] = [];
    let derived = 0;
    batch.forEach((pending, i) => {
      const ack = result.acks[i]!;
      if (ack.ok && !ack.duplicate) committed.push({ event: { ...pending.event, seq: ack.seq }, exceptSocketId: pending.ctx.socketId });
      while (result.derived[derived]?.after === i) committed.push({ event: result.derived[derived++]!.event, exceptSocketId: undefined });
    });
    try {
      this.relay.relay(committed);
    } catch (error) {
      this.logger.error({ err: error }, `relay of ${committed.length} events failed`);
    }
    batch.forEach((pending, i) => pending.resolve(result.acks[i]!));
    this.metrics.countAcks(result.acks);
    const ackedAt = performance.now();
    for (const pending of batch) this.metrics.observeAck((ackedAt - pending.receivedAt) / 1000);
  }

  private request(event: EventBase, ctx: AppendContext): WriteRequest {
    const request: WriteRequest = { event, deviceId: ctx.deviceId, origin: ctx.origin };
    if (this.stations && (event.type === 'order.created' || event.type === 'order.updated')) {
      const stations: Record<string, Station | null> = {};
      for (const item of (event.payload as EventPayload<'order.created'>).items) {
        const station = this.stations.stationOf(item.sku);
        if (station !== undefined) stations[item.sku] = station;
      }
      request.stations = stations;
    }
    return request;
  }

  private scheduleFlush(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }
}
