import { Injectable } from '@nestjs/common';
import type { RowDataPacket } from 'mysql2/promise';
import { SYNC_DOMAINS, type JsonValue, type SyncDomain } from '@app/contracts';
import { PrismaService } from '../database/prisma.service.js';
import { fromJsonColumn, toJsonColumn } from '../database/sql-values.js';
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
  constructor(private readonly prisma: PrismaService) {}

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

  async insert(tx: Tx, scope: TenantScope, revision: NewRevision, now: Date): Promise<void> {
    await tx.connection.query(
      'INSERT INTO SyncRevision (id, tenantId, storeId, domain, revision, commandType, payload, state, publishedById, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [revision.id, scope.tenantId, revision.storeId, revision.domain, revision.revision, revision.commandType, toJsonColumn(revision.payload), toJsonColumn(revision.state), revision.publishedById, now],
    );
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
