import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AggregateType, StoredEvent } from '@app/contracts';
import type { Lease } from '@app/sync';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

/**
 * The event log, the aggregate versions and the order leases. Every write happens inside
 * `transaction`, which the event store opens once per group commit; a nested call is a savepoint,
 * so one bad event rolls back alone.
 */
@Injectable()
export class EventStoreRepository {
  private readonly tx: (fn: () => unknown) => unknown;
  private readonly stmts;

  constructor(@Inject(SQLITE) private readonly db: SqliteDatabase) {
    this.tx = db.transaction((fn: () => unknown) => fn());
    this.stmts = {
      // A pruned event is still known by its tombstone (apps/edge/src/retention): a resend is a duplicate.
      seqOf: db.prepare<[string, string], { seq: number }>(
        'SELECT seq FROM events WHERE event_id = ? UNION ALL SELECT seq FROM pruned_events WHERE event_id = ? LIMIT 1',
      ),
      version: db.prepare<[string, string], { version: number }>('SELECT version FROM aggregates WHERE aggregate_type = ? AND aggregate_id = ?'),
      setVersion: db.prepare(
        'INSERT INTO aggregates (aggregate_type, aggregate_id, version) VALUES (?, ?, ?) ON CONFLICT (aggregate_type, aggregate_id) DO ' +
          'UPDATE SET version = excluded.version',
      ),
      lease: db.prepare<[string], { holder: string; expires_at: number }>('SELECT holder, expires_at FROM order_leases WHERE order_id = ?'),
      setLease: db.prepare(
        'INSERT INTO order_leases (order_id, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET holder = ' +
          'excluded.holder, expires_at = excluded.expires_at',
      ),
      deleteLease: db.prepare('DELETE FROM order_leases WHERE order_id = ?'),
      insert: db.prepare(
        'INSERT INTO events (seq, event_id, aggregate_type, aggregate_id, version, type, lamport, origin, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      maxSeq: db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM events'),
      maxLamport: db.prepare<[], { lamport: number | null }>('SELECT MAX(lamport) AS lamport FROM events'),
      bodiesAfter: db.prepare<[number, number], { body: string }>('SELECT body FROM events WHERE seq > ? ORDER BY seq LIMIT ?').pluck(),
      firstSeqAtLamport: db.prepare<[number], { seq: number | null }>('SELECT MIN(seq) AS seq FROM events WHERE lamport >= ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events'),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      insertMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    };
  }

  /** Runs `fn` in a transaction (a savepoint when already inside one); commits when it returns. */
  transaction<T>(fn: () => T): T {
    return this.tx(fn) as T;
  }

  seqOfEvent(eventId: string): number | undefined {
    return this.stmts.seqOf.get(eventId, eventId)?.seq;
  }

  aggregateVersion(type: AggregateType, id: string): number {
    return this.stmts.version.get(type, id)?.version ?? 0;
  }

  setAggregateVersion(type: AggregateType, id: string, version: number): void {
    this.stmts.setVersion.run(type, id, version);
  }

  lease(orderId: string): Lease | null {
    const row = this.stmts.lease.get(orderId);
    return row ? { holder: row.holder, expiresAt: row.expires_at } : null;
  }

  setLease(orderId: string, lease: Lease | null): void {
    if (lease) this.stmts.setLease.run(orderId, lease.holder, lease.expiresAt);
    else this.stmts.deleteLease.run(orderId);
  }

  /** Appends a committed event; `body` is its JSON with `seq`, as catch-up will send it. */
  insert(event: StoredEvent, origin: 'device' | 'cloud', body: string): void {
    this.stmts.insert.run(event.seq, event.eventId, event.aggregateType, event.aggregateId, event.version, event.type, event.clock.lamport, origin, body);
  }

  maxSeq(): number {
    return this.stmts.maxSeq.get()?.seq ?? 0;
  }

  maxLamport(): number {
    return this.stmts.maxLamport.get()?.lamport ?? 0;
  }

  countEvents(): number {
    return this.stmts.count.get()?.n ?? 0;
  }

  /** The JSON bodies of the events after `afterSeq`, in `seq` order. */
  bodiesAfter(afterSeq: number, limit: number): string[] {
    return this.stmts.bodiesAfter.all(afterSeq, limit) as unknown as string[];
  }

  /** The seq just before the first event whose Lamport time is at least `lamport` (`null`: none). */
  seqBeforeLamport(lamport: number): number | null {
    const seq = this.stmts.firstSeqAtLamport.get(lamport)?.seq ?? null;
    return seq === null ? null : seq - 1;
  }

  /** This hub's stable id (the leader id devices see), created on first start. */
  hubId(): string {
    this.stmts.insertMeta.run('hub.id', `hub-${randomUUID().slice(0, 8)}`);
    return this.stmts.getMeta.get('hub.id')!.value;
  }
}
