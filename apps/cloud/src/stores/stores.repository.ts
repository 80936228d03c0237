import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@app/contracts';
import { PrismaService } from '../database/prisma.service.js';
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

@Injectable()
export class StoresRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByCode(scope: TenantScope, code: string): Promise<StoreRow | null> {
    return this.prisma.store.findUnique({ where: { tenantId_code: { tenantId: scope.tenantId, code } } });
  }

  findById(scope: TenantScope, id: string): Promise<StoreRow | null> {
    return this.prisma.store.findFirst({ where: { id, tenantId: scope.tenantId } });
  }

  create(scope: TenantScope, input: { code: string; name: string; timezone?: string }): Promise<StoreRow> {
    return this.prisma.store.create({ data: { id: uuidv7(), tenantId: scope.tenantId, code: input.code, name: input.name, timezone: input.timezone ?? 'UTC' } });
  }
}
