import { Injectable } from '@nestjs/common';
import type { CommandStatusName } from '@app/contracts';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface CommandListFilter {
  storeId?: string;
  status?: CommandStatusName;
  /** Continue after this (createdAt, id): the last row of the previous page. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

const withStoreCode = { store: { select: { code: true } } } as const;

/** Reads of commands for operators (lists, one command with its logs): Prisma, tenant-scoped. */
@Injectable()
export class CommandQueriesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Newest first: by creation time, then id, so pages never skip or repeat a row. */
  list(scope: TenantScope, filter: CommandListFilter) {
    return this.prisma.syncCommand.findMany({
      where: {
        tenantId: scope.tenantId,
        ...(filter.storeId === undefined ? {} : { storeId: filter.storeId }),
        ...(filter.status === undefined ? {} : { status: filter.status }),
        ...(filter.after === undefined
          ? {}
          : { OR: [{ createdAt: { lt: filter.after.createdAt } }, { createdAt: filter.after.createdAt, id: { lt: filter.after.id } }] }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit,
      include: withStoreCode,
    });
  }

  byIds(scope: TenantScope, ids: readonly string[]) {
    return this.prisma.syncCommand.findMany({ where: { tenantId: scope.tenantId, id: { in: [...ids] } }, include: withStoreCode });
  }

  detail(scope: TenantScope, id: string) {
    return this.prisma.syncCommand.findFirst({ where: { id, tenantId: scope.tenantId }, include: { ...withStoreCode, logs: { orderBy: { id: 'asc' } } } });
  }
}

export type CommandListRow = Awaited<ReturnType<CommandQueriesRepository['list']>>[number];
export type CommandDetailRow = NonNullable<Awaited<ReturnType<CommandQueriesRepository['detail']>>>;
