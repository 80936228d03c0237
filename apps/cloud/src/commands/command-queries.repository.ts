import { Injectable } from '@nestjs/common';
import type { CommandStatusName, SyncDomain } from '@app/contracts';
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

  /** The dead-lettered commands of these domains of stores of the tenant (at most one each: a dead letter is its domain's head). */
  deadLettersOf(scope: TenantScope, domains: readonly { storeId: string; domain: string }[]) {
    if (domains.length === 0) return Promise.resolve([]);
    return this.prisma.syncCommand.findMany({
      where: { tenantId: scope.tenantId, status: 'DEAD_LETTER', OR: domains.map((d) => ({ storeId: d.storeId, domain: d.domain as SyncDomain })) },
      select: { id: true, storeId: true, domain: true, seq: true, status: true, lastErrorCode: true },
      orderBy: { seq: 'asc' },
    });
  }

  /** One command with its log, each operator actor named by email (as the audit log does), within the tenant. */
  async detail(scope: TenantScope, id: string) {
    const row = await this.prisma.syncCommand.findFirst({
      where: { id, tenantId: scope.tenantId },
      include: { ...withStoreCode, logs: { orderBy: { id: 'asc' } } },
    });
    if (!row) return null;
    const operatorIds = [...new Set(row.logs.flatMap((l) => (l.actorType === 'OPERATOR' && l.actorId !== null ? [l.actorId] : [])))];
    const operators =
      operatorIds.length > 0
        ? await this.prisma.operator.findMany({ where: { tenantId: scope.tenantId, id: { in: operatorIds } }, select: { id: true, email: true } })
        : [];
    const emails = new Map(operators.map((o) => [o.id, o.email]));
    return {
      ...row,
      logs: row.logs.map((l) => ({ ...l, actorEmail: l.actorType === 'OPERATOR' && l.actorId !== null ? (emails.get(l.actorId) ?? null) : null })),
    };
  }
}

export type CommandListRow = Awaited<ReturnType<CommandQueriesRepository['list']>>[number];
export type CommandDetailRow = NonNullable<Awaited<ReturnType<CommandQueriesRepository['detail']>>>;
