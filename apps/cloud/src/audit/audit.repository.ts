import { Injectable } from '@nestjs/common';
import type { RowDataPacket } from 'mysql2/promise';
import type { Actor } from '../common/actor.js';
import { SqlPool } from '../database/sql-pool.js';
import { fromJsonColumn, toJsonColumn } from '../database/sql-values.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface NewAuditEntry {
  storeId: string | null;
  actor: Actor;
  action: string;
  targetType: string;
  targetId: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditRow {
  id: number;
  createdAt: Date;
  storeId: string | null;
  actorType: Actor['type'];
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

interface AuditDbRow extends RowDataPacket {
  id: number;
  createdAt: Date;
  storeId: string | null;
  actorType: Actor['type'];
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: unknown;
}

/** The append-only audit log: this repository inserts and reads, it never updates or deletes. */
@Injectable()
export class AuditRepository {
  constructor(private readonly pool: SqlPool) {}

  /** Inserts inside the caller's transaction, so an action and its audit entry commit together. */
  async insert(tx: Tx, scope: TenantScope, entries: readonly NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const now = new Date();
    const rows = entries.map((e) => [
      scope.tenantId,
      e.storeId,
      e.actor.type,
      e.actor.id,
      e.action,
      e.targetType,
      e.targetId,
      e.details ? toJsonColumn(e.details) : null,
      now,
    ]);
    await tx.connection.query('INSERT INTO AuditLog (tenantId, storeId, actorType, actorId, action, targetType, targetId, details, createdAt) VALUES ?', [
      rows,
    ]);
  }

  /** Newest first; `beforeId` continues a page. */
  async list(scope: TenantScope, filter: { storeId?: string; beforeId?: number; limit: number }): Promise<AuditRow[]> {
    const where = ['a.tenantId = ?'];
    const params: unknown[] = [scope.tenantId];
    if (filter.storeId !== undefined) {
      where.push('a.storeId = ?');
      params.push(filter.storeId);
    }
    if (filter.beforeId !== undefined) {
      where.push('a.id < ?');
      params.push(filter.beforeId);
    }
    params.push(filter.limit);
    const [rows] = await this.pool.query<AuditDbRow[]>(
      `SELECT a.id, a.createdAt, a.storeId, a.actorType, a.actorId, o.email AS actorEmail, a.action, a.targetType, a.targetId, a.details
         FROM AuditLog a
         LEFT JOIN Operator o ON a.actorType = 'OPERATOR' AND o.id = a.actorId AND o.tenantId = a.tenantId
        WHERE ${where.join(' AND ')}
        ORDER BY a.id DESC
        LIMIT ?`,
      params,
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), details: r.details === null ? null : fromJsonColumn<Record<string, unknown>>(r.details) }));
  }
}
