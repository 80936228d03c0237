import { Injectable } from '@nestjs/common';
import { SYNC_DOMAINS, uuidv7 } from '@app/contracts';
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
  constructor(private readonly prisma: PrismaService) {}

  findByCode(scope: TenantScope, code: string): Promise<StoreRow | null> {
    return this.prisma.store.findUnique({ where: { tenantId_code: { tenantId: scope.tenantId, code } } });
  }

  findById(scope: TenantScope, id: string): Promise<StoreRow | null> {
    return this.prisma.store.findFirst({ where: { id, tenantId: scope.tenantId } });
  }

  listAll(scope: TenantScope): Promise<StoreRow[]> {
    return this.prisma.store.findMany({ where: { tenantId: scope.tenantId }, orderBy: [{ code: 'asc' }] });
  }

  /** A store with a desired/applied row per synced domain, so every later update is a plain UPDATE. */
  async create(tx: Tx, scope: TenantScope, input: NewStore): Promise<StoreRow> {
    const now = new Date();
    const row: StoreRow = { id: uuidv7(), tenantId: scope.tenantId, code: input.code, name: input.name, timezone: input.timezone ?? 'UTC', lastCommandSeq: 0, createdAt: now, updatedAt: now };
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
