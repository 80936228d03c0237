import { Injectable } from '@nestjs/common';
import type { RowDataPacket } from 'mysql2/promise';
import type { ProjectionDeadLetterView, ProjectionSkipReason } from '@app/contracts';
import { SqlPool } from '../database/sql-pool.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { DaySums, ProjectedEvent, SkippedEvent } from './sales-projection.js';

interface EventRow extends RowDataPacket {
  cloudSeq: number;
  eventId: string;
  type: string;
  at: Date;
  totalCents: string | null;
  storedAt: string | null;
  eventAt: string | null;
}

interface DeadLetterRow extends RowDataPacket {
  projection: string;
  cloudSeq: number;
  eventId: string;
  eventType: string;
  reason: ProjectionSkipReason;
  detail: string;
  createdAt: Date;
}

/** The longest detail kept (the column's size). */
const MAX_DETAIL = 500;

interface StoreRow extends RowDataPacket {
  tenantId: string;
  timezone: string;
}

/** The per-store, per-day sales projection and its cursor. */
@Injectable()
export class ProjectionsRepository {
  constructor(private readonly pool: SqlPool) {}

  /**
   * A page of stores after `afterStoreId` (a walk over every tenant's), each with whether its
   * projection is behind its latest ingested event: what to catch up when queued runs were lost.
   */
  async storesBehindPage(afterStoreId: string, limit: number): Promise<{ storeId: string; behind: boolean }[]> {
    const [rows] = await this.pool.query<(RowDataPacket & { storeId: string; behind: number | null })[]>(
      `SELECT s.id AS storeId, (SELECT MAX(e.cloudSeq) FROM IngestedEvent e WHERE e.storeId = s.id) > COALESCE(c.lastCloudSeq, 0) AS behind
         FROM Store s LEFT JOIN StoreProjectionCursor c ON c.storeId = s.id
        WHERE s.id > ? ORDER BY s.id LIMIT ?`,
      [afterStoreId, limit],
    );
    return rows.map((r) => ({ storeId: r.storeId, behind: Number(r.behind) === 1 }));
  }

  /** The tenant and time zone of a store; a projection job names only the store. */
  async storeForProjection(storeId: string): Promise<{ tenantId: string; timezone: string } | null> {
    const [rows] = await this.pool.query<StoreRow[]>('SELECT tenantId, timezone FROM Store WHERE id = ?', [storeId]);
    return rows[0] ? { tenantId: rows[0].tenantId, timezone: rows[0].timezone } : null;
  }

  /** The store's cursor, locked: one projection run of a store at a time, whatever the replicas do. */
  async lockCursor(tx: Tx, scope: TenantScope, storeId: string): Promise<number> {
    await tx.connection.query('INSERT IGNORE INTO StoreProjectionCursor (storeId, tenantId, lastCloudSeq, updatedAt) VALUES (?, ?, 0, ?)', [
      storeId,
      scope.tenantId,
      new Date(),
    ]);
    const [rows] = await tx.connection.query<(RowDataPacket & { lastCloudSeq: number })[]>(
      'SELECT lastCloudSeq FROM StoreProjectionCursor WHERE storeId = ? AND tenantId = ? FOR UPDATE',
      [storeId, scope.tenantId],
    );
    return Number(rows[0]!.lastCloudSeq);
  }

  /**
   * The events after the cursor. Of a paid order, its amount as stored (JSON, whatever it holds)
   * and, to explain a time that is no instant, its `at` column as text and `at` as it arrived.
   */
  async eventsAfter(tx: Tx, scope: TenantScope, storeId: string, after: number, limit: number): Promise<ProjectedEvent[]> {
    const [rows] = await tx.connection.query<EventRow[]>(
      `SELECT cloudSeq, eventId, type, at,
              CASE WHEN type = 'order.paid' THEN CAST(JSON_EXTRACT(body, '$.payload.totalCents') AS CHAR) END AS totalCents,
              CASE WHEN type = 'order.paid' THEN CAST(at AS CHAR) END AS storedAt,
              CASE WHEN type = 'order.paid' THEN JSON_VALUE(body, '$.at') END AS eventAt
         FROM IngestedEvent WHERE tenantId = ? AND storeId = ? AND cloudSeq > ? ORDER BY cloudSeq LIMIT ?`,
      [scope.tenantId, storeId, after, limit],
    );
    return rows.map((r) => ({
      cloudSeq: Number(r.cloudSeq),
      eventId: r.eventId,
      type: r.type,
      at: r.at,
      ...(r.type === 'order.paid' ? { totalCents: r.totalCents === null ? undefined : parseJson(r.totalCents), storedAt: r.storedAt, eventAt: r.eventAt } : {}),
    }));
  }

  /** Records the events a projection skipped; a row already recorded (a repeated run) stays as it is. */
  async insertDeadLetters(tx: Tx, scope: TenantScope, storeId: string, projection: string, skipped: readonly SkippedEvent[], now: Date): Promise<void> {
    if (skipped.length === 0) return;
    await tx.connection.query(
      `INSERT INTO ProjectionDeadLetter (tenantId, storeId, projection, cloudSeq, eventId, eventType, reason, detail, createdAt) VALUES ?
       ON DUPLICATE KEY UPDATE id = id`,
      [skipped.map((e) => [scope.tenantId, storeId, projection, e.cloudSeq, e.eventId, e.type, e.reason, e.detail.slice(0, MAX_DETAIL), now])],
    );
  }

  /** A page of a store's projection dead letters in cloud order, and how many there are in all. */
  async deadLetters(scope: TenantScope, storeId: string, after: number, limit: number): Promise<{ total: number; rows: ProjectionDeadLetterView[] }> {
    const [[count], [rows]] = await Promise.all([
      this.pool.query<(RowDataPacket & { total: number })[]>('SELECT COUNT(*) AS total FROM ProjectionDeadLetter WHERE tenantId = ? AND storeId = ?', [
        scope.tenantId,
        storeId,
      ]),
      this.pool.query<DeadLetterRow[]>(
        'SELECT projection, cloudSeq, eventId, eventType, reason, detail, createdAt FROM ProjectionDeadLetter WHERE tenantId = ? AND ' +
          'storeId = ? AND cloudSeq > ? ORDER BY cloudSeq, projection LIMIT ?',
        [scope.tenantId, storeId, after, limit],
      ),
    ]);
    return {
      total: Number(count[0]?.total ?? 0),
      rows: rows.map((r) => ({
        projection: r.projection,
        cloudSeq: Number(r.cloudSeq),
        eventId: r.eventId,
        eventType: r.eventType,
        reason: r.reason,
        detail: r.detail,
        recordedAt: r.createdAt.toISOString(),
      })),
    };
  }

  async addToDays(tx: Tx, scope: TenantScope, storeId: string, sums: ReadonlyMap<string, DaySums>): Promise<void> {
    if (sums.size === 0) return;
    const now = new Date();
    await tx.connection.query(
      `INSERT INTO StoreSalesDay (storeId, day, tenantId, orders, salesCents, updatedAt) VALUES ?
       ON DUPLICATE KEY UPDATE orders = orders + VALUES(orders), salesCents = salesCents + VALUES(salesCents), updatedAt = VALUES(updatedAt)`,
      [[...sums].map(([day, s]) => [storeId, day, scope.tenantId, s.orders, s.salesCents, now])],
    );
  }

  async setCursor(tx: Tx, scope: TenantScope, storeId: string, cloudSeq: number): Promise<void> {
    await tx.connection.query('UPDATE StoreProjectionCursor SET lastCloudSeq = ?, updatedAt = ? WHERE storeId = ? AND tenantId = ?', [
      cloudSeq,
      new Date(),
      storeId,
      scope.tenantId,
    ]);
  }

  async salesDays(scope: TenantScope, storeId: string, from: string, to: string): Promise<({ day: string } & DaySums)[]> {
    const [rows] = await this.pool.query<(RowDataPacket & { day: string; orders: number; salesCents: number })[]>(
      "SELECT DATE_FORMAT(day, '%Y-%m-%d') AS day, orders, salesCents FROM StoreSalesDay WHERE tenantId = ? AND storeId = ? AND day BETWEEN " +
        '? AND ? ORDER BY day',
      [scope.tenantId, storeId, from, to],
    );
    return rows.map((r) => ({ day: r.day, orders: Number(r.orders), salesCents: Number(r.salesCents) }));
  }
}

/** The JSON text of a value (CAST, so that the driver does not parse it itself); kept as text when it somehow is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
