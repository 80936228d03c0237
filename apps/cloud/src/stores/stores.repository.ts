import { Injectable } from '@nestjs/common';
import type { RowDataPacket } from 'mysql2/promise';
import { SYNC_DOMAINS, uuidv7 } from '@app/contracts';
import { SqlPool } from '../database/sql-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface StoreRow {
  id: string;
  tenantId: string;
  code: string;
  name: string;
  timezone: string;
  lastCommandSeq: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewStore {
  code: string;
  name: string;
  timezone?: string;
}

@Injectable()
export class StoresRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly pool: SqlPool,
  ) {}

  findByCode(scope: TenantScope, code: string): Promise<StoreRow | null> {
    return this.prisma.store.findUnique({ where: { tenantId_code: { tenantId: scope.tenantId, code } } });
  }

  /** Every store route starts here: one plain primary-key query. */
  async findById(scope: TenantScope, id: string): Promise<StoreRow | null> {
    const [rows] = await this.pool.query<(RowDataPacket & StoreRow)[]>(
      'SELECT id, tenantId, code, name, timezone, lastCommandSeq, createdAt, updatedAt FROM Store WHERE id = ? AND tenantId = ?',
      [id, scope.tenantId],
    );
    return rows[0] ?? null;
  }

  async findManyByIds(scope: TenantScope, ids: readonly string[]): Promise<StoreRow[]> {
    if (ids.length === 0) return [];
    const [rows] = await this.pool.query<(RowDataPacket & StoreRow)[]>(
      'SELECT id, tenantId, code, name, timezone, lastCommandSeq, createdAt, updatedAt FROM Store WHERE tenantId = ? AND id IN (?)',
      [scope.tenantId, ids],
    );
    return rows;
  }

  listAll(scope: TenantScope): Promise<StoreRow[]> {
    return this.prisma.store.findMany({ where: { tenantId: scope.tenantId }, orderBy: [{ code: 'asc' }] });
  }

  /** A store with a desired/applied row per synced domain, so every later update is a plain UPDATE. */
  async create(tx: Tx, scope: TenantScope, input: NewStore): Promise<StoreRow> {
    const now = new Date();
    const row: StoreRow = {
      id: uuidv7(),
      tenantId: scope.tenantId,
      code: input.code,
      name: input.name,
      timezone: input.timezone ?? 'UTC',
      lastCommandSeq: 0,
      createdAt: now,
      updatedAt: now,
    };
    await tx.connection.query('INSERT INTO Store (id, tenantId, code, name, timezone, lastCommandSeq, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, 0, ?, ?)', [
      row.id,
      row.tenantId,
      row.code,
      row.name,
      row.timezone,
      now,
      now,
    ]);
    await tx.connection.query('INSERT INTO StoreDomainState (storeId, domain, tenantId, desiredRevision, appliedRevision, updatedAt) VALUES ?', [
      SYNC_DOMAINS.map((domain) => [row.id, domain, scope.tenantId, 0, 0, now]),
    ]);
    return row;
  }
}
