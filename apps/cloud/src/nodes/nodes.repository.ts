import { Injectable } from '@nestjs/common';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { HeartbeatRequest } from '@app/contracts';
import { SqlPool } from '../database/sql-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface NodeRow {
  id: string;
  tenantId: string;
  storeId: string;
  hostname: string;
  softwareVersion: string;
  status: 'ACTIVE' | 'REVOKED';
  secretHash: string;
  registeredAt: Date;
  lastSeenAt: Date | null;
  outboxDepth: number;
  hubSeq: bigint;
  cloudCursor: bigint;
  edgeReachable: boolean;
  lastCloudSyncAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/** What authenticating a node needs to know about it. */
export interface NodeAuthRow {
  id: string;
  tenantId: string;
  storeId: string;
  status: 'ACTIVE' | 'REVOKED';
  secretHash: string;
  revokedReason: string | null;
}

export interface NewNode {
  id: string;
  storeId: string;
  hostname: string;
  softwareVersion: string;
  secretHash: string;
}

interface IdRow extends RowDataPacket {
  id: string;
}

export interface RevokedNodeRow {
  id: string;
  revokedAt: Date;
}

/** Store nodes (a store's edge box as its agent registered it). */
@Injectable()
export class NodesRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly pool: SqlPool,
  ) {}

  /**
   * By id alone: node authentication starts from a token whose tenant is checked against the row
   * this returns, so the lookup itself cannot be scoped yet. Runs on every node request: one plain
   * primary-key query.
   */
  async findForAuthentication(id: string): Promise<NodeAuthRow | null> {
    const [rows] = await this.pool.query<(RowDataPacket & NodeAuthRow)[]>(
      'SELECT id, tenantId, storeId, status, secretHash, revokedReason FROM StoreNode WHERE id = ?',
      [id],
    );
    return rows[0] ?? null;
  }

  findById(scope: TenantScope, id: string): Promise<NodeRow | null> {
    return this.prisma.storeNode.findFirst({ where: { id, tenantId: scope.tenantId } });
  }

  listByStore(scope: TenantScope, storeId: string): Promise<NodeRow[]> {
    return this.prisma.storeNode.findMany({ where: { tenantId: scope.tenantId, storeId }, orderBy: [{ registeredAt: 'desc' }, { id: 'desc' }] });
  }

  /** The active node of each store (a store has one edge box at a time). */
  activeOfStores(scope: TenantScope, storeIds: readonly string[]): Promise<NodeRow[]> {
    if (storeIds.length === 0) return Promise.resolve([]);
    return this.prisma.storeNode.findMany({
      where: { tenantId: scope.tenantId, storeId: { in: [...storeIds] }, status: 'ACTIVE' },
      orderBy: { registeredAt: 'desc' },
    });
  }

  /** Inside a transaction, pass it: its connection is already held, the pool may have none left. */
  /**
   * Takes a shared lock on the node's row if it is active in the store: a revocation waits for the
   * claims that hold it, and a claim waits for a heartbeat's write instead of skipping the row.
   */
  async lockActive(tx: Tx, scope: TenantScope, storeId: string, id: string): Promise<boolean> {
    const [rows] = await tx.connection.query<IdRow[]>(
      "SELECT id FROM StoreNode WHERE id = ? AND tenantId = ? AND storeId = ? AND status = 'ACTIVE' LOCK IN SHARE MODE",
      [id, scope.tenantId, storeId],
    );
    return rows.length === 1;
  }

  async insert(tx: Tx, scope: TenantScope, node: NewNode, now: Date): Promise<void> {
    await tx.connection.query(
      `INSERT INTO StoreNode (id, tenantId, storeId, hostname, softwareVersion, status, secretHash, registeredAt)
       VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?)`,
      [node.id, scope.tenantId, node.storeId, node.hostname, node.softwareVersion, node.secretHash, now],
    );
  }

  /** Revokes the store's active nodes; returns their ids. */
  async revokeActiveOfStore(tx: Tx, scope: TenantScope, storeId: string, reason: string, now: Date): Promise<string[]> {
    const [rows] = await tx.connection.query<IdRow[]>("SELECT id FROM StoreNode WHERE tenantId = ? AND storeId = ? AND status = 'ACTIVE' FOR UPDATE", [
      scope.tenantId,
      storeId,
    ]);
    if (rows.length === 0) return [];
    await tx.connection.query("UPDATE StoreNode SET status = 'REVOKED', revokedAt = ?, revokedReason = ? WHERE id IN (?)", [
      now,
      reason,
      rows.map((r) => r.id),
    ]);
    return rows.map((r) => r.id);
  }

  /** Revokes one node if it is still active; false when it was not (already revoked or unknown). */
  async revoke(tx: Tx, scope: TenantScope, id: string, reason: string, now: Date): Promise<boolean> {
    const [result] = await tx.connection.query<ResultSetHeader>(
      "UPDATE StoreNode SET status = 'REVOKED', revokedAt = ?, revokedReason = ? WHERE id = ? AND tenantId = ? AND status = 'ACTIVE'",
      [now, reason, id, scope.tenantId],
    );
    return result.affectedRows === 1;
  }

  /** The store's nodes revoked at or after `since`, newest first (what its hub must refuse). */
  async revokedOfStoreSince(scope: TenantScope, storeId: string, since: Date, limit: number): Promise<RevokedNodeRow[]> {
    const [rows] = await this.pool.query<(RowDataPacket & RevokedNodeRow)[]>(
      "SELECT id, revokedAt FROM StoreNode WHERE tenantId = ? AND storeId = ? AND status = 'REVOKED' AND revokedAt >= ? ORDER BY revokedAt " +
        'DESC, id DESC LIMIT ?',
      [scope.tenantId, storeId, since, limit],
    );
    return rows.map((r) => ({ id: r.id, revokedAt: r.revokedAt }));
  }

  /** Records a heartbeat on an active node; false when the node is no longer active. */
  async recordHeartbeat(tx: Tx, scope: TenantScope, id: string, beat: HeartbeatRequest, now: Date): Promise<boolean> {
    const [result] = await tx.connection.query<ResultSetHeader>(
      `UPDATE StoreNode
          SET lastSeenAt = ?, softwareVersion = ?, hostname = COALESCE(?, hostname), outboxDepth = ?, hubSeq = ?, cloudCursor = ?,
              edgeReachable = ?, lastCloudSyncAt = COALESCE(?, lastCloudSyncAt)
        WHERE id = ? AND tenantId = ? AND status = 'ACTIVE'`,
      [
        now,
        beat.softwareVersion,
        beat.hostname ?? null,
        beat.outboxDepth,
        beat.hubSeq,
        beat.cloudCursor,
        beat.edgeReachable,
        beat.lastCloudSyncAt ? new Date(beat.lastCloudSyncAt) : null,
        id,
        scope.tenantId,
      ],
    );
    return result.affectedRows === 1;
  }
}
