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
   * Locks one domain of some stores for the rest of the transaction, in store id order: publishes
   * and repairs of a domain take these locks first (then the store rows for their seqs), so they
   * run one at a time per store and never wait on each other in a cycle.
   */
  async lockMany(tx: Tx, scope: TenantScope, storeIds: readonly string[], domain: SyncDomain): Promise<DomainStateLock[]> {
    const select = () =>
      tx.connection.query<DomainStateDbRow[]>(
        'SELECT storeId, domain, desiredRevision, appliedRevision FROM StoreDomainState FORCE INDEX (PRIMARY) WHERE tenantId = ? AND domain ' +
          '= ? AND storeId IN (?) ORDER BY storeId FOR UPDATE',
        [scope.tenantId, domain, storeIds],
      );
    const [rows] = await select();
    if (rows.length === storeIds.length) return rows;
    // Stores get their four rows at creation; this covers rows lost to manual surgery.
    const now = new Date();
    await tx.connection.query('INSERT IGNORE INTO StoreDomainState (storeId, domain, tenantId, desiredRevision, appliedRevision, updatedAt) VALUES ?', [
      storeIds.map((storeId) => [storeId, domain, scope.tenantId, 0, 0, now]),
    ]);
    const [again] = await select();
    if (again.length !== storeIds.length) throw new Error(`some stores have no ${domain} state and none can be created`);
    return again;
  }

  async lock(tx: Tx, scope: TenantScope, storeId: string, domain: SyncDomain): Promise<DomainStateLock> {
    return (await this.lockMany(tx, scope, [storeId], domain))[0]!;
  }

  /** Each store's desired revision moves to the one just published (its previous + 1). */
  async advanceDesired(tx: Tx, scope: TenantScope, storeIds: readonly string[], domain: SyncDomain, now: Date): Promise<void> {
    await tx.connection.query(
      'UPDATE StoreDomainState SET desiredRevision = desiredRevision + 1, updatedAt = ? WHERE tenantId = ? AND domain = ? AND storeId IN (?)',
      [now, scope.tenantId, domain, storeIds],
    );
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
    // Only the domains the heartbeat lists: a hub of an older version lacks the newer ones.
    for (const domain of SYNC_DOMAINS) {
      const revision = applied[domain];
      if (revision === undefined) continue;
      await tx.connection.query(
        `UPDATE StoreDomainState SET appliedAt = IF(appliedRevision <> ?, ?, appliedAt), appliedRevision = ?, updatedAt = ?
          WHERE storeId = ? AND domain = ? AND tenantId = ?`,
        [revision, at, revision, at, storeId, domain, scope.tenantId],
      );
    }
  }
}
