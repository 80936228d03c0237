import { Injectable } from '@nestjs/common';
import type { RowDataPacket } from 'mysql2/promise';
import { SYNC_DOMAINS, type AppliedRevisions, type SyncDomain } from '@app/contracts';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface DomainStateLock {
  storeId: string;
  domain: SyncDomain;
  desiredRevision: number;
  appliedRevision: number;
}

interface DomainStateDbRow extends RowDataPacket, DomainStateLock {}

/** Desired and applied revision of each domain of each store (StoreDomainState). */
@Injectable()
export class DomainStatesRepository {
  /**
   * Locks one domain of one store for the rest of the transaction: publishes and repairs of a domain
   * take this lock first (then the store row for its seq), so they run one at a time and always in
   * the same lock order.
   */
  async lock(tx: Tx, scope: TenantScope, storeId: string, domain: SyncDomain): Promise<DomainStateLock> {
    const now = new Date();
    // Stores get their four rows at creation; this covers rows lost to manual surgery.
    await tx.connection.query('INSERT IGNORE INTO StoreDomainState (storeId, domain, tenantId, desiredRevision, appliedRevision, updatedAt) VALUES (?, ?, ?, 0, 0, ?)', [storeId, domain, scope.tenantId, now]);
    const [rows] = await tx.connection.query<DomainStateDbRow[]>(
      'SELECT storeId, domain, desiredRevision, appliedRevision FROM StoreDomainState WHERE storeId = ? AND domain = ? AND tenantId = ? FOR UPDATE',
      [storeId, domain, scope.tenantId],
    );
    return rows[0]!;
  }

  async setDesired(tx: Tx, scope: TenantScope, storeId: string, domain: SyncDomain, revision: number): Promise<void> {
    await tx.connection.query('UPDATE StoreDomainState SET desiredRevision = ?, updatedAt = ? WHERE storeId = ? AND domain = ? AND tenantId = ?', [revision, new Date(), storeId, domain, scope.tenantId]);
  }

  /** An ack proves the store holds at least this revision; it never lowers what is recorded. */
  async raiseApplied(tx: Tx, scope: TenantScope, storeId: string, domain: SyncDomain, revision: number, at: Date): Promise<void> {
    await tx.connection.query(
      `UPDATE StoreDomainState SET appliedAt = IF(appliedRevision < ?, ?, appliedAt), appliedRevision = GREATEST(appliedRevision, ?), updatedAt = ?
        WHERE storeId = ? AND domain = ? AND tenantId = ?`,
      [revision, at, revision, at, storeId, domain, scope.tenantId],
    );
  }

  /**
   * A heartbeat reports what the store holds now. It may be lower than before (an edge box replaced
   * or restored), which is exactly the drift reconciliation repairs, so it is recorded as reported.
   */
  async recordReported(tx: Tx, scope: TenantScope, storeId: string, applied: AppliedRevisions, at: Date): Promise<void> {
    for (const domain of SYNC_DOMAINS) {
      await tx.connection.query(
        `UPDATE StoreDomainState SET appliedAt = IF(appliedRevision <> ?, ?, appliedAt), appliedRevision = ?, updatedAt = ?
          WHERE storeId = ? AND domain = ? AND tenantId = ?`,
        [applied[domain], at, applied[domain], at, storeId, domain, scope.tenantId],
      );
    }
  }
}
