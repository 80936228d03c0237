import { Injectable } from '@nestjs/common';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { SyncDomain } from '@app/contracts';
import { SqlPool } from '../database/sql-pool.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** The two final command states: nothing moves a command out of them. */
export const FINISHED_STATUSES = ['ACKED', 'SUPERSEDED'] as const;
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

export interface FinishedCommand {
  id: string;
  storeId: string;
  domain: SyncDomain;
  seq: number;
  createdAt: Date;
}

/** Where a walk through finished commands stopped: the last (createdAt, id) it returned. */
export interface CommandCursor {
  createdAt: Date;
  id: string;
}

/**
 * The deletes of the retention job, each bounded by a LIMIT and found through a named index, so
 * a batch holds its locks for milliseconds and never walks another tenant's or store's rows. Rows
 * are deleted by primary key, from a list read just before: a DELETE cannot name an index.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly pool: SqlPool) {}

  async tenantPage(afterId: string, limit: number): Promise<string[]> {
    const [rows] = await this.pool.query<(RowDataPacket & { id: string })[]>('SELECT id FROM Tenant WHERE id > ? ORDER BY id LIMIT ?', [afterId, limit]);
    return rows.map((r) => r.id);
  }

  /**
   * Commands of the tenant in a final status whose last change is older than `before`, oldest
   * first, after `cursor`. The index (tenantId, status, createdAt) bounds the walk: a command
   * changed after `before` was also created before it only if it lived that long.
   */
  async finishedCommands(scope: TenantScope, status: FinishedStatus, before: Date, cursor: CommandCursor | null, limit: number): Promise<FinishedCommand[]> {
    const [rows] = await this.pool.query<(RowDataPacket & FinishedCommand)[]>(
      `SELECT id, storeId, domain, seq, createdAt FROM SyncCommand FORCE INDEX (SyncCommand_tenantId_status_createdAt_idx)
        WHERE tenantId = ? AND status = ? AND createdAt < ? AND updatedAt < ?
          AND (createdAt > ? OR (createdAt = ? AND id > ?))
        ORDER BY createdAt, id LIMIT ?`,
      [scope.tenantId, status, before, before, cursor?.createdAt ?? new Date(0), cursor?.createdAt ?? new Date(0), cursor?.id ?? '', limit],
    );
    return rows.map((r) => ({ id: r.id, storeId: r.storeId, domain: r.domain, seq: r.seq, createdAt: r.createdAt }));
  }

  /** The highest command seq of each (store, domain) named: the latest command of that domain. */
  async latestSeqs(scope: TenantScope, domains: readonly { storeId: string; domain: SyncDomain }[]): Promise<Map<string, number>> {
    const latest = new Map<string, number>();
    for (let i = 0; i < domains.length; i += 200) {
      const chunk = domains.slice(i, i + 200);
      // One backward step on (storeId, domain, seq) per domain, however long its history.
      const [rows] = await this.pool.query<(RowDataPacket & { storeId: string; domain: SyncDomain; seq: number })[]>(
        chunk
          .map(
            () =>
              '(SELECT storeId, domain, seq FROM SyncCommand FORCE INDEX (SyncCommand_storeId_domain_seq_idx) WHERE storeId = ? AND domain ' +
              '= ? AND tenantId = ? ORDER BY seq DESC LIMIT 1)',
          )
          .join(' UNION ALL '),
        chunk.flatMap((d) => [d.storeId, d.domain, scope.tenantId]),
      );
      for (const r of rows) latest.set(`${r.storeId}/${r.domain}`, Number(r.seq));
    }
    return latest;
  }

  /** Deletes finished commands and their logs, in the caller's transaction; counts both. */
  async deleteCommands(tx: Tx, scope: TenantScope, ids: readonly string[]): Promise<{ commands: number; logs: number }> {
    if (ids.length === 0) return { commands: 0, logs: 0 };
    const [logs] = await tx.connection.query<ResultSetHeader>('DELETE FROM SyncCommandLog WHERE commandId IN (?) AND tenantId = ?', [ids, scope.tenantId]);
    // The status again: only a command still final goes (a final one never leaves that status).
    const [commands] = await tx.connection.query<ResultSetHeader>('DELETE FROM SyncCommand WHERE id IN (?) AND tenantId = ? AND status IN (?)', [
      ids,
      scope.tenantId,
      FINISHED_STATUSES,
    ]);
    return { commands: commands.affectedRows, logs: logs.affectedRows };
  }

  /**
   * Deletes the tenant's oldest audit entries created before `before`, at most `limit`, and only
   * as a prefix of the trail: the walk stops at the first newer entry, so what stays is always
   * a complete, unbroken trail from some entry on. Returns how many went and whether older ones
   * may remain.
   */
  async deleteOldestAudit(scope: TenantScope, before: Date, limit: number): Promise<{ deleted: number; more: boolean }> {
    const [rows] = await this.pool.query<(RowDataPacket & { id: string; old: number })[]>(
      'SELECT id, createdAt < ? AS old FROM AuditLog FORCE INDEX (AuditLog_tenantId_id_idx) WHERE tenantId = ? ORDER BY id LIMIT ?',
      [before, scope.tenantId, limit],
    );
    const prefix = oldPrefix(rows);
    if (prefix.length === 0) return { deleted: 0, more: false };
    const [result] = await this.pool.query<ResultSetHeader>('DELETE FROM AuditLog WHERE id IN (?) AND tenantId = ?', [prefix, scope.tenantId]);
    return { deleted: result.affectedRows, more: prefix.length === rows.length && rows.length === limit };
  }

  /** Each store of the tenant with the cloudSeq its sales projection has read up to. */
  async projectionCursors(scope: TenantScope): Promise<{ storeId: string; lastCloudSeq: number }[]> {
    const [rows] = await this.pool.query<(RowDataPacket & { storeId: string; lastCloudSeq: number })[]>(
      'SELECT storeId, lastCloudSeq FROM StoreProjectionCursor WHERE tenantId = ? AND lastCloudSeq > 0 ORDER BY storeId',
      [scope.tenantId],
    );
    return rows.map((r) => ({ storeId: r.storeId, lastCloudSeq: Number(r.lastCloudSeq) }));
  }

  /**
   * Deletes a store's oldest ingested events received before `before`, at most `limit`, never one
   * after `throughCloudSeq` (the projection's cursor): only what every projection has read.
   */
  async deleteOldestEvents(
    scope: TenantScope,
    storeId: string,
    throughCloudSeq: number,
    before: Date,
    limit: number,
  ): Promise<{ deleted: number; more: boolean }> {
    const [rows] = await this.pool.query<(RowDataPacket & { id: string; old: number })[]>(
      `SELECT cloudSeq AS id, receivedAt < ? AS old FROM IngestedEvent FORCE INDEX (IngestedEvent_storeId_cloudSeq_idx)
        WHERE storeId = ? AND cloudSeq <= ? AND tenantId = ? ORDER BY cloudSeq LIMIT ?`,
      [before, storeId, throughCloudSeq, scope.tenantId, limit],
    );
    const prefix = oldPrefix(rows);
    if (prefix.length === 0) return { deleted: 0, more: false };
    const [result] = await this.pool.query<ResultSetHeader>('DELETE FROM IngestedEvent WHERE cloudSeq IN (?) AND storeId = ? AND tenantId = ?', [
      prefix,
      storeId,
      scope.tenantId,
    ]);
    return { deleted: result.affectedRows, more: prefix.length === rows.length && rows.length === limit };
  }
}

/** The ids of the leading rows flagged old, up to the first that is not. */
function oldPrefix(rows: readonly { id: string; old: number }[]): string[] {
  const ids: string[] = [];
  for (const row of rows) {
    if (Number(row.old) !== 1) break;
    ids.push(row.id);
  }
  return ids;
}
