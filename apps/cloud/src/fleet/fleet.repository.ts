import { Injectable } from '@nestjs/common';
import { SYNC_DOMAINS, type SyncDomain } from '@app/contracts';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface DomainStateRow {
  storeId: string;
  domain: SyncDomain;
  desiredRevision: number;
  appliedRevision: number;
  appliedAt: Date | null;
}

export interface CommandCountRow {
  storeId: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED' | 'DEAD_LETTER';
  count: number;
}

/** The reads behind the fleet view: a few grouped queries for any number of stores. */
@Injectable()
export class FleetRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The rows of the domains this version has (another version's replica may hold more during a rollout). */
  async domainStates(scope: TenantScope, storeIds: readonly string[]): Promise<DomainStateRow[]> {
    if (storeIds.length === 0) return [];
    const rows = await this.prisma.storeDomainState.findMany({
      where: { tenantId: scope.tenantId, storeId: { in: [...storeIds] }, domain: { in: [...SYNC_DOMAINS] } },
      select: { storeId: true, domain: true, desiredRevision: true, appliedRevision: true, appliedAt: true },
    });
    return rows.map((r) => ({ ...r, domain: r.domain as SyncDomain }));
  }

  /** Counts of the commands still in motion or parked, by store and status. */
  async openCommandCounts(scope: TenantScope, storeIds: readonly string[]): Promise<CommandCountRow[]> {
    if (storeIds.length === 0) return [];
    const groups = await this.prisma.syncCommand.groupBy({
      by: ['storeId', 'status'],
      where: { tenantId: scope.tenantId, storeId: { in: [...storeIds] }, status: { in: ['PENDING', 'DELIVERED', 'FAILED', 'DEAD_LETTER'] } },
      _count: { _all: true },
    });
    return groups.map((g) => ({ storeId: g.storeId, status: g.status as CommandCountRow['status'], count: g._count._all }));
  }
}
