import { Injectable } from '@nestjs/common';
import type { RowDataPacket } from 'mysql2/promise';
import { SYNC_DOMAINS, type SyncDomain } from '@app/contracts';
import type { CommandStatus } from '@app/sync';
import { SqlPool } from '../database/sql-pool.js';
import type { DomainSyncState } from './repair-rule.js';

export interface ReconcileCandidate extends DomainSyncState {
  tenantId: string;
  storeId: string;
  domain: SyncDomain;
}

interface CandidateRow extends RowDataPacket {
  tenantId: string;
  storeId: string;
  domain: SyncDomain;
  desiredRevision: number;
  appliedRevision: number;
  headStatus: CommandStatus | null;
  headRevision: number | null;
  headErrorCode: string | null;
  headExpiresAt: Date | null;
}

/** The reads of a reconciliation pass: every published domain with its head command, store by store. */
@Injectable()
export class ReconciliationRepository {
  constructor(private readonly pool: SqlPool) {}

  /** Up to `limit` stores with a published domain, after `afterStoreId` (a pass walks all tenants). */
  async storePage(afterStoreId: string, limit: number): Promise<string[]> {
    const [rows] = await this.pool.query<(RowDataPacket & { storeId: string })[]>(
      'SELECT DISTINCT storeId FROM StoreDomainState WHERE desiredRevision > 0 AND storeId > ? ORDER BY storeId LIMIT ?',
      [afterStoreId, limit],
    );
    return rows.map((r) => r.storeId);
  }

  async candidates(storeIds: readonly string[]): Promise<ReconcileCandidate[]> {
    if (storeIds.length === 0) return [];
    const [rows] = await this.pool.query<CandidateRow[]>(
      `SELECT ds.tenantId, ds.storeId, ds.domain, ds.desiredRevision, ds.appliedRevision,
              h.status AS headStatus, h.revision AS headRevision, h.lastErrorCode AS headErrorCode, h.expiresAt AS headExpiresAt
         FROM StoreDomainState ds
         LEFT JOIN SyncCommand h ON h.id = (
           SELECT c.id FROM SyncCommand c FORCE INDEX (SyncCommand_storeId_domain_seq_idx)
            WHERE c.storeId = ds.storeId AND c.domain = ds.domain AND c.status IN ('PENDING', 'DELIVERED', 'FAILED', 'DEAD_LETTER')
            ORDER BY c.seq LIMIT 1)
        WHERE ds.storeId IN (?) AND ds.desiredRevision > 0 AND ds.domain IN (?)`,
      // The domains this version has: a replica of another version may have written others.
      [storeIds, SYNC_DOMAINS],
    );
    return rows.map((r) => ({
      tenantId: r.tenantId,
      storeId: r.storeId,
      domain: r.domain,
      desiredRevision: r.desiredRevision,
      appliedRevision: r.appliedRevision,
      head: r.headStatus ? { status: r.headStatus, revision: r.headRevision!, lastErrorCode: r.headErrorCode, expiresAt: r.headExpiresAt! } : null,
    }));
  }
}
