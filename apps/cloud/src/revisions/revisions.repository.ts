import { Injectable } from '@nestjs/common';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { SYNC_DOMAINS, settingKeySchema, type JsonValue, type SyncDomain } from '@app/contracts';
import { CloudConfig } from '../config/cloud-config.js';
import { SqlPool } from '../database/sql-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import { byBytes, fromJsonColumn, toJsonColumn } from '../database/sql-values.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { isCheckpoint, replayRevisions, type RevisionPatch } from './revision-replay.js';

export interface NewRevision {
  id: string;
  storeId: string;
  domain: SyncDomain;
  revision: number;
  commandType: string;
  payload: Record<string, JsonValue>;
  state: Record<string, unknown>;
  publishedById: string;
}

export interface PublishedRevision {
  domain: SyncDomain;
  revision: number;
  state: Record<string, unknown>;
  createdAt: Date;
  publishedBy: string | null;
}

interface StateRow extends RowDataPacket {
  id: string;
  state: unknown;
}

type Queryable = SqlPool | PoolConnection;

/**
 * Published revisions: the change an operator made and the state of the domain after it. A row
 * keeps its whole state while it is the latest of its domain, and for good when its number is a
 * multiple of REVISION_CHECKPOINT_INTERVAL (a checkpoint); publishing the next revision clears the
 * previous one's otherwise. Any other state is replayed from the checkpoint before it, so the
 * history grows by the size of its patches, and the latest state (what publish builds on and
 * reconciliation snapshots) is still one row away.
 */
@Injectable()
export class RevisionsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly pool: SqlPool,
    private readonly config: CloudConfig,
  ) {}

  /** The revision row (its id and whole state) of one revision of a domain. */
  async at(tx: Tx, scope: TenantScope, storeId: string, domain: SyncDomain, revision: number): Promise<{ id: string; state: Record<string, unknown> } | null> {
    const [rows] = await tx.connection.query<StateRow[]>(
      'SELECT id, state FROM SyncRevision WHERE tenantId = ? AND storeId = ? AND domain = ? AND revision = ?',
      [scope.tenantId, storeId, domain, revision],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      state: row.state === null ? await this.replay(tx.connection, scope, storeId, domain, revision) : fromJsonColumn<Record<string, unknown>>(row.state),
    };
  }

  /** The whole state of one domain of several stores, each at its own revision. */
  async statesAt(
    tx: Tx,
    scope: TenantScope,
    domain: SyncDomain,
    at: readonly { storeId: string; revision: number }[],
  ): Promise<Map<string, Record<string, unknown>>> {
    const wanted = at.filter((a) => a.revision > 0);
    if (wanted.length === 0) return new Map();
    const [rows] = await tx.connection.query<(StateRow & { storeId: string; revision: number })[]>(
      'SELECT storeId, id, revision, state FROM SyncRevision WHERE tenantId = ? AND domain = ? AND (storeId, revision) IN (?)',
      [scope.tenantId, domain, wanted.map((a) => [a.storeId, a.revision])],
    );
    const states = new Map<string, Record<string, unknown>>();
    for (const r of rows) {
      // The latest revision always has its state; a replay is only for a row that lost it otherwise.
      states.set(
        r.storeId,
        r.state === null ? await this.replay(tx.connection, scope, r.storeId, domain, r.revision) : fromJsonColumn<Record<string, unknown>>(r.state),
      );
    }
    return states;
  }

  /**
   * Stores new latest revisions with their whole state, and clears the state of the revisions they
   * follow unless those are checkpoints. The caller holds the domains' locks, so the previous
   * revision is the latest until this commits.
   */
  async insertMany(tx: Tx, scope: TenantScope, revisions: readonly NewRevision[], now: Date): Promise<void> {
    // Whole states can be large (a menu of thousands of items): statements stay a few MB each.
    for (const chunk of byBytes(
      revisions.map((r) => ({ r, payload: toJsonColumn(r.payload), state: toJsonColumn(r.state) })),
      (x) => x.payload.length + x.state.length,
    )) {
      await tx.connection.query(
        'INSERT INTO SyncRevision (id, tenantId, storeId, domain, revision, commandType, payload, state, publishedById, createdAt) VALUES ?',
        [chunk.map(({ r, payload, state }) => [r.id, scope.tenantId, r.storeId, r.domain, r.revision, r.commandType, payload, state, r.publishedById, now])],
      );
    }
    const previous = revisions.filter((r) => r.revision > 1 && !isCheckpoint(r.revision - 1, this.config.revisionCheckpointInterval));
    for (let i = 0; i < previous.length; i += 500) {
      const chunk = previous.slice(i, i + 500);
      // Whole keys of the unique index, spelled as ORs: MariaDB plans a range over that key for
      // them, where `(storeId, domain, revision) IN (...)` in an UPDATE scans the whole table.
      await tx.connection.query(
        `UPDATE SyncRevision SET state = NULL WHERE (${chunk.map(() => '(storeId = ? AND domain = ? AND revision = ?)').join(' OR ')}) AND tenantId = ?`,
        [...chunk.flatMap((r) => [r.storeId, r.domain, r.revision - 1]), scope.tenantId],
      );
    }
  }

  /**
   * The whole state of one domain of a store at any revision it published (null when there is no
   * such revision): its own state when it kept it, else the checkpoint before it with the patches
   * after that one replayed (at most REVISION_CHECKPOINT_INTERVAL - 1 of them).
   */
  async stateAt(scope: TenantScope, storeId: string, domain: SyncDomain, revision: number): Promise<Record<string, unknown> | null> {
    const [rows] = await this.pool.query<StateRow[]>('SELECT id, state FROM SyncRevision WHERE tenantId = ? AND storeId = ? AND domain = ? AND revision = ?', [
      scope.tenantId,
      storeId,
      domain,
      revision,
    ]);
    const row = rows[0];
    if (!row) return null;
    return row.state === null ? this.replay(this.pool, scope, storeId, domain, revision) : fromJsonColumn<Record<string, unknown>>(row.state);
  }

  private async replay(db: Queryable, scope: TenantScope, storeId: string, domain: SyncDomain, revision: number): Promise<Record<string, unknown>> {
    // Both walk the (storeId, domain, revision) key from the revision down: at most one interval.
    const [base] = await db.query<(RowDataPacket & { revision: number; state: unknown })[]>(
      `SELECT revision, state FROM SyncRevision FORCE INDEX (SyncRevision_storeId_domain_revision_key)
        WHERE storeId = ? AND domain = ? AND revision <= ? AND state IS NOT NULL AND tenantId = ? ORDER BY revision DESC LIMIT 1`,
      [storeId, domain, revision, scope.tenantId],
    );
    const checkpoint = base[0] ? { revision: base[0].revision, state: fromJsonColumn<Record<string, unknown>>(base[0].state) } : null;
    const [patches] = await db.query<(RowDataPacket & RevisionPatch)[]>(
      `SELECT revision, commandType, payload FROM SyncRevision FORCE INDEX (SyncRevision_storeId_domain_revision_key)
        WHERE storeId = ? AND domain = ? AND revision > ? AND revision <= ? AND tenantId = ? ORDER BY revision`,
      [storeId, domain, checkpoint?.revision ?? 0, revision, scope.tenantId],
    );
    return replayRevisions(
      domain,
      checkpoint,
      patches.map((p) => ({ revision: p.revision, commandType: p.commandType, payload: fromJsonColumn(p.payload) })),
    );
  }

  /** The latest revision of each domain of a store (without its state), with the publisher's email. */
  async latestPerDomain(scope: TenantScope, storeId: string): Promise<Omit<PublishedRevision, 'state'>[]> {
    // One indexed lookup per domain: a store's history can be long and its states large.
    const rows = await Promise.all(
      SYNC_DOMAINS.map(async (domain) => {
        const row = await this.prisma.syncRevision.findFirst({
          where: { tenantId: scope.tenantId, storeId, domain },
          orderBy: { revision: 'desc' },
          select: { revision: true, createdAt: true, publishedById: true },
        });
        return row && { ...row, domain };
      }),
    );
    return this.withPublisher(
      scope,
      rows.filter((r) => r !== null).map((r) => ({ ...r, state: null })),
    );
  }

  /**
   * One key of a store's latest published settings, as text (JSON_VALUE: a string as it is, a
   * number or boolean as written, null when unset or not a scalar); null when never published.
   */
  async latestSettingText(scope: TenantScope, storeId: string, key: string): Promise<string | null> {
    // The key goes into a JSON path: only keys the settings schema allows, which need no escaping.
    if (!settingKeySchema.safeParse(key).success) throw new Error(`not a setting key: ${key}`);
    const [rows] = await this.pool.query<(RowDataPacket & { value: string | null })[]>(
      "SELECT JSON_VALUE(state, ?) AS value FROM SyncRevision WHERE tenantId = ? AND storeId = ? AND domain = 'settings' ORDER BY revision DESC LIMIT 1",
      [`$.values."${key}"`, scope.tenantId, storeId],
    );
    return rows[0]?.value ?? null;
  }

  async latestOfDomain(scope: TenantScope, storeId: string, domain: SyncDomain): Promise<PublishedRevision | null> {
    const row = await this.prisma.syncRevision.findFirst({
      where: { tenantId: scope.tenantId, storeId, domain },
      orderBy: { revision: 'desc' },
      select: { revision: true, state: true, createdAt: true, publishedById: true },
    });
    if (!row) return null;
    const state = row.state ?? (await this.replay(this.pool, scope, storeId, domain, row.revision));
    return (await this.withPublisher(scope, [{ ...row, domain, state }]))[0] ?? null;
  }

  private async withPublisher(
    scope: TenantScope,
    rows: { domain: SyncDomain; revision: number; state: unknown; createdAt: Date; publishedById: string | null }[],
  ): Promise<PublishedRevision[]> {
    const ids = [...new Set(rows.map((r) => r.publishedById).filter((id): id is string => id !== null))];
    const operators =
      ids.length > 0 ? await this.prisma.operator.findMany({ where: { tenantId: scope.tenantId, id: { in: ids } }, select: { id: true, email: true } }) : [];
    const email = new Map(operators.map((o) => [o.id, o.email]));
    return rows.map((r) => ({
      domain: r.domain,
      revision: r.revision,
      state: r.state as Record<string, unknown>,
      createdAt: r.createdAt,
      publishedBy: r.publishedById ? (email.get(r.publishedById) ?? null) : null,
    }));
  }
}
