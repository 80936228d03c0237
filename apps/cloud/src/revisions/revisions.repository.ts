import { Inject, Injectable } from '@nestjs/common';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { SYNC_DOMAINS, settingKeySchema, type JsonValue, type SyncDomain } from '@app/contracts';
import { MYSQL_POOL } from '../database/mysql-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import { byBytes, fromJsonColumn, toJsonColumn } from '../database/sql-values.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

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

/** Published revisions: the change an operator made and the whole state of the domain after it. */
@Injectable()
export class RevisionsRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(MYSQL_POOL) private readonly pool: Pool,
  ) {}

  /** The revision row (its id and whole state) of one revision of a domain. */
  async at(tx: Tx, scope: TenantScope, storeId: string, domain: SyncDomain, revision: number): Promise<{ id: string; state: Record<string, unknown> } | null> {
    const [rows] = await tx.connection.query<StateRow[]>('SELECT id, state FROM SyncRevision WHERE tenantId = ? AND storeId = ? AND domain = ? AND revision = ?', [
      scope.tenantId,
      storeId,
      domain,
      revision,
    ]);
    return rows[0] ? { id: rows[0].id, state: fromJsonColumn<Record<string, unknown>>(rows[0].state) } : null;
  }

  /** The whole state of one domain of several stores, each at its own revision. */
  async statesAt(tx: Tx, scope: TenantScope, domain: SyncDomain, at: readonly { storeId: string; revision: number }[]): Promise<Map<string, Record<string, unknown>>> {
    const wanted = at.filter((a) => a.revision > 0);
    if (wanted.length === 0) return new Map();
    const [rows] = await tx.connection.query<(StateRow & { storeId: string })[]>('SELECT storeId, id, state FROM SyncRevision WHERE tenantId = ? AND domain = ? AND (storeId, revision) IN (?)', [
      scope.tenantId,
      domain,
      wanted.map((a) => [a.storeId, a.revision]),
    ]);
    return new Map(rows.map((r) => [r.storeId, fromJsonColumn<Record<string, unknown>>(r.state)]));
  }

  async insertMany(tx: Tx, scope: TenantScope, revisions: readonly NewRevision[], now: Date): Promise<void> {
    // Whole states can be large (a menu of thousands of items): statements stay a few MB each.
    for (const chunk of byBytes(revisions.map((r) => ({ r, payload: toJsonColumn(r.payload), state: toJsonColumn(r.state) })), (x) => x.payload.length + x.state.length)) {
      await tx.connection.query('INSERT INTO SyncRevision (id, tenantId, storeId, domain, revision, commandType, payload, state, publishedById, createdAt) VALUES ?', [
        chunk.map(({ r, payload, state }) => [r.id, scope.tenantId, r.storeId, r.domain, r.revision, r.commandType, payload, state, r.publishedById, now]),
      ]);
    }
  }

  /** The latest revision of each domain of a store (without its state), with the publisher's email. */
  async latestPerDomain(scope: TenantScope, storeId: string): Promise<Omit<PublishedRevision, 'state'>[]> {
    // One indexed lookup per domain: a store's history can be long and its states large.
    const rows = await Promise.all(
      SYNC_DOMAINS.map((domain) =>
        this.prisma.syncRevision.findFirst({
          where: { tenantId: scope.tenantId, storeId, domain },
          orderBy: { revision: 'desc' },
          select: { domain: true, revision: true, createdAt: true, publishedById: true },
        }),
      ),
    );
    return this.withPublisher(scope, rows.filter((r) => r !== null).map((r) => ({ ...r, state: null })));
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
      select: { domain: true, revision: true, state: true, createdAt: true, publishedById: true },
    });
    return row ? ((await this.withPublisher(scope, [row]))[0] ?? null) : null;
  }

  private async withPublisher(
    scope: TenantScope,
    rows: { domain: SyncDomain; revision: number; state: unknown; createdAt: Date; publishedById: string | null }[],
  ): Promise<PublishedRevision[]> {
    const ids = [...new Set(rows.map((r) => r.publishedById).filter((id): id is string => id !== null))];
    const operators = ids.length > 0 ? await this.prisma.operator.findMany({ where: { tenantId: scope.tenantId, id: { in: ids } }, select: { id: true, email: true } }) : [];
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
