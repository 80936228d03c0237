import { Inject, Injectable } from '@nestjs/common';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { MYSQL_POOL } from '../database/mysql-pool.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface ProjectedEvent {
  cloudSeq: number;
  type: string;
  at: Date;
  /** order.paid only. */
  totalCents: number | null;
}

export interface DaySums {
  orders: number;
  salesCents: number;
}

interface StoreRow extends RowDataPacket {
  tenantId: string;
  timezone: string;
}

/** The per-store, per-day sales projection and its cursor. */
@Injectable()
export class ProjectionsRepository {
  constructor(@Inject(MYSQL_POOL) private readonly pool: Pool) {}

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
    await tx.connection.query('INSERT IGNORE INTO StoreProjectionCursor (storeId, tenantId, lastCloudSeq, updatedAt) VALUES (?, ?, 0, ?)', [storeId, scope.tenantId, new Date()]);
    const [rows] = await tx.connection.query<(RowDataPacket & { lastCloudSeq: number })[]>('SELECT lastCloudSeq FROM StoreProjectionCursor WHERE storeId = ? AND tenantId = ? FOR UPDATE', [
      storeId,
      scope.tenantId,
    ]);
    return Number(rows[0]!.lastCloudSeq);
  }

  async eventsAfter(tx: Tx, scope: TenantScope, storeId: string, after: number, limit: number): Promise<ProjectedEvent[]> {
    const [rows] = await tx.connection.query<(RowDataPacket & { cloudSeq: number; type: string; at: Date; totalCents: unknown })[]>(
      `SELECT cloudSeq, type, at, CASE WHEN type = 'order.paid' THEN JSON_VALUE(body, '$.payload.totalCents') END AS totalCents
         FROM IngestedEvent WHERE tenantId = ? AND storeId = ? AND cloudSeq > ? ORDER BY cloudSeq LIMIT ?`,
      [scope.tenantId, storeId, after, limit],
    );
    return rows.map((r) => ({ cloudSeq: Number(r.cloudSeq), type: r.type, at: r.at, totalCents: r.totalCents === null ? null : Number(r.totalCents) }));
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
    await tx.connection.query('UPDATE StoreProjectionCursor SET lastCloudSeq = ?, updatedAt = ? WHERE storeId = ? AND tenantId = ?', [cloudSeq, new Date(), storeId, scope.tenantId]);
  }

  async salesDays(scope: TenantScope, storeId: string, from: string, to: string): Promise<({ day: string } & DaySums)[]> {
    const [rows] = await this.pool.query<(RowDataPacket & { day: string; orders: number; salesCents: number })[]>(
      "SELECT DATE_FORMAT(day, '%Y-%m-%d') AS day, orders, salesCents FROM StoreSalesDay WHERE tenantId = ? AND storeId = ? AND day BETWEEN ? AND ? ORDER BY day",
      [scope.tenantId, storeId, from, to],
    );
    return rows.map((r) => ({ day: r.day, orders: Number(r.orders), salesCents: Number(r.salesCents) }));
  }
}
