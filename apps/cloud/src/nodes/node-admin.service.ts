import { Injectable } from '@nestjs/common';
import type { BootstrapTokenResponse, StoreNodeView, StoreNodesResponse } from '@app/contracts';
import { randomToken, sha256Hex } from '@app/crypto';
import { NotFoundException } from '@app/nest-kit';
import { AuditService } from '../audit/audit.service.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { operatorActor } from '../common/actor.js';
import { CommandWakeupService } from '../commands/command-wakeup.service.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { toStoreNodeView } from '../fleet/fleet.service.js';
import { StoresService } from '../stores/stores.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { BootstrapTokensRepository } from './bootstrap-tokens.repository.js';
import { NodesException } from './nodes.exception.js';
import { NodesRepository } from './nodes.repository.js';

export const DEFAULT_BOOTSTRAP_TTL_SECONDS = 24 * 3600;

/** What HQ does with a store's nodes: hand out a bootstrap token, list them, revoke one. */
@Injectable()
export class NodeAdminService {
  constructor(
    private readonly stores: StoresService,
    private readonly nodes: NodesRepository,
    private readonly bootstrapTokens: BootstrapTokensRepository,
    private readonly audit: AuditService,
    private readonly wakeups: CommandWakeupService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** A one-time token, shown once; only its sha256 is stored. */
  async createBootstrapToken(operator: OperatorPrincipal, storeId: string, ttlSeconds = DEFAULT_BOOTSTRAP_TTL_SECONDS): Promise<BootstrapTokenResponse> {
    const store = await this.stores.require(operator.scope, storeId);
    const token = randomToken(32);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    await this.transactions.run(async (tx) => {
      const id = await this.bootstrapTokens.insert(
        tx,
        operator.scope,
        { storeId: store.id, tokenHash: sha256Hex(token), expiresAt, createdById: operator.operatorId },
        now,
      );
      await this.audit.record(tx, operator.scope, {
        storeId: store.id,
        actor: operatorActor(operator.operatorId),
        action: 'node.bootstrap_token_created',
        targetType: 'bootstrap_token',
        targetId: id,
        details: { expiresAt: expiresAt.toISOString() },
      });
    });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  async list(scope: TenantScope, storeId: string): Promise<StoreNodesResponse> {
    const store = await this.stores.require(scope, storeId);
    return { nodes: (await this.nodes.listByStore(scope, store.id)).map(toStoreNodeView) };
  }

  /** Locks the node out at once: its next request, and any long-poll it holds, get NODE_REVOKED. */
  async revoke(operator: OperatorPrincipal, nodeId: string, reason: string): Promise<StoreNodeView> {
    const node = await this.nodes.findById(operator.scope, nodeId);
    if (!node) throw new NotFoundException('node', nodeId);
    await this.transactions.run(async (tx) => {
      if (!(await this.nodes.revoke(tx, operator.scope, nodeId, reason, new Date()))) throw NodesException.alreadyRevoked(nodeId);
      await this.audit.record(tx, operator.scope, {
        storeId: node.storeId,
        actor: operatorActor(operator.operatorId),
        action: 'node.revoked',
        targetType: 'node',
        targetId: nodeId,
        details: { reason },
      });
      tx.afterCommit(() => this.wakeups.wake(node.storeId));
    });
    return toStoreNodeView((await this.nodes.findById(operator.scope, nodeId))!);
  }
}
