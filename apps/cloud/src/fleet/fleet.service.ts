import { Injectable } from '@nestjs/common';
import { SYNC_DOMAINS, type DomainRevisionView, type FleetStoreView, type StoreNodeView, type SyncDomain } from '@app/contracts';
import { CloudConfig } from '../config/cloud-config.js';
import { NodesRepository, type NodeRow } from '../nodes/nodes.repository.js';
import type { StoreRow } from '../stores/stores.repository.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { FleetRepository, type CommandCountRow, type DomainStateRow } from './fleet.repository.js';

export function toStoreNodeView(node: NodeRow): StoreNodeView {
  return {
    id: node.id,
    hostname: node.hostname,
    softwareVersion: node.softwareVersion,
    status: node.status,
    registeredAt: node.registeredAt.toISOString(),
    lastSeenAt: node.lastSeenAt?.toISOString() ?? null,
    revokedAt: node.revokedAt?.toISOString() ?? null,
    revokedReason: node.revokedReason,
  };
}

export function toDomainRevisionView(state: Pick<DomainStateRow, 'desiredRevision' | 'appliedRevision' | 'appliedAt'> | undefined): DomainRevisionView {
  const desired = state?.desiredRevision ?? 0;
  const applied = state?.appliedRevision ?? 0;
  return { desiredRevision: desired, appliedRevision: applied, appliedAt: state?.appliedAt?.toISOString() ?? null, drift: desired !== applied };
}

/**
 * The fleet view of SYSTEM.md 4.4: per store, whether it is online (a heartbeat within
 * NODE_OFFLINE_AFTER_SECONDS), its node, desired against applied revision per domain, and its
 * commands in motion (pending counts PENDING and DELIVERED: sent, not yet acknowledged).
 */
@Injectable()
export class FleetService {
  constructor(
    private readonly config: CloudConfig,
    private readonly fleet: FleetRepository,
    private readonly nodes: NodesRepository,
  ) {}

  async views(scope: TenantScope, stores: readonly StoreRow[], now = new Date()): Promise<FleetStoreView[]> {
    const ids = stores.map((s) => s.id);
    const [states, counts, nodes] = await Promise.all([
      this.fleet.domainStates(scope, ids),
      this.fleet.openCommandCounts(scope, ids),
      this.nodes.activeOfStores(scope, ids),
    ]);
    const statesByStore = groupBy(states, (s) => s.storeId);
    const countsByStore = groupBy(counts, (c) => c.storeId);
    const nodeByStore = new Map<string, NodeRow>();
    for (const node of nodes) if (!nodeByStore.has(node.storeId)) nodeByStore.set(node.storeId, node);
    return stores.map((store) => this.view(store, nodeByStore.get(store.id), statesByStore.get(store.id) ?? [], countsByStore.get(store.id) ?? [], now));
  }

  private view(store: StoreRow, node: NodeRow | undefined, states: DomainStateRow[], counts: CommandCountRow[], now: Date): FleetStoreView {
    const count = (...statuses: CommandCountRow['status'][]) => counts.filter((c) => statuses.includes(c.status)).reduce((n, c) => n + c.count, 0);
    const lastSeen = node?.lastSeenAt ?? null;
    return {
      id: store.id,
      tenantId: store.tenantId,
      code: store.code,
      name: store.name,
      timezone: store.timezone,
      createdAt: store.createdAt.toISOString(),
      online: lastSeen !== null && now.getTime() - lastSeen.getTime() <= this.config.nodeOfflineAfterSeconds * 1000,
      lastHeartbeatAt: lastSeen?.toISOString() ?? null,
      softwareVersion: node?.softwareVersion ?? null,
      node: node ? toStoreNodeView(node) : null,
      domains: Object.fromEntries(SYNC_DOMAINS.map((d) => [d, toDomainRevisionView(states.find((s) => s.domain === d))])) as Record<
        SyncDomain,
        DomainRevisionView
      >,
      commands: { pending: count('PENDING', 'DELIVERED'), failed: count('FAILED'), deadLettered: count('DEAD_LETTER') },
      outboxDepth: node && lastSeen ? node.outboxDepth : null,
      syncLagSeconds: node?.lastCloudSyncAt ? Math.max(0, Math.round((now.getTime() - node.lastCloudSyncAt.getTime()) / 1000)) : null,
      edgeReachable: node && lastSeen ? node.edgeReachable : null,
    };
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
