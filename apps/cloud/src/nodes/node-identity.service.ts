import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  uuidv7,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type RegisterNodeRequest,
  type RegisterNodeResponse,
  type RenewNodeTokenRequest,
  type RenewNodeTokenResponse,
} from '@app/contracts';
import { randomToken, sha256Hex } from '@app/crypto';
import { AuditService } from '../audit/audit.service.js';
import { AuthException } from '../auth/auth.exception.js';
import type { NodePrincipal } from '../auth/principals.js';
import { nodeActor } from '../common/actor.js';
import { CommandWakeupService } from '../commands/command-wakeup.service.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { DomainStatesRepository } from '../sync-state/domain-states.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { BootstrapTokensRepository } from './bootstrap-tokens.repository.js';
import { NodeCredentialsService } from './node-credentials.service.js';
import { NodeRevocationsService } from './node-revocations.service.js';
import { NodesRepository } from './nodes.repository.js';

/** What a store node does for itself: register with a bootstrap token, renew its token, heartbeat. */
@Injectable()
export class NodeIdentityService {
  constructor(
    private readonly nodes: NodesRepository,
    private readonly bootstrapTokens: BootstrapTokensRepository,
    private readonly domainStates: DomainStatesRepository,
    private readonly credentials: NodeCredentialsService,
    private readonly revocations: NodeRevocationsService,
    private readonly audit: AuditService,
    private readonly wakeups: CommandWakeupService,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Trades a one-time bootstrap token for a node identity. A store has one edge box: the store's
   * previous active node is revoked ('replaced') in the same transaction.
   */
  async register(input: RegisterNodeRequest): Promise<RegisterNodeResponse> {
    const tokenHash = sha256Hex(input.bootstrapToken);
    const nodeId = uuidv7();
    const nodeSecret = randomToken(32);
    const now = new Date();
    const registered = await this.transactions.run(async (tx) => {
      const token = await this.bootstrapTokens.consume(tx, tokenHash, nodeId, now);
      if (!token) return null;
      const scope = tenantScope(token.tenantId);
      const replaced = await this.nodes.revokeActiveOfStore(tx, scope, token.storeId, 'replaced', now);
      await this.nodes.insert(
        tx,
        scope,
        { id: nodeId, storeId: token.storeId, hostname: input.hostname, softwareVersion: input.softwareVersion, secretHash: sha256Hex(nodeSecret) },
        now,
      );
      await this.audit.record(
        tx,
        scope,
        ...replaced.map((id) => ({
          storeId: token.storeId,
          actor: nodeActor(nodeId),
          action: 'node.revoked',
          targetType: 'node',
          targetId: id,
          details: { reason: 'replaced', replacedBy: nodeId },
        })),
        {
          storeId: token.storeId,
          actor: nodeActor(nodeId),
          action: 'node.registered',
          targetType: 'node',
          targetId: nodeId,
          details: { hostname: input.hostname, softwareVersion: input.softwareVersion, bootstrapTokenId: token.id },
        },
      );
      // A replaced node still long-polling learns at once that it is out.
      if (replaced.length > 0) tx.afterCommit(() => this.wakeups.wake(token.storeId));
      return { tenantId: token.tenantId, storeId: token.storeId };
    });
    if (!registered) throw await this.unusableToken(tokenHash, now);
    return {
      nodeId,
      tenantId: registered.tenantId,
      storeId: registered.storeId,
      nodeSecret,
      ...this.credentials.issue({ id: nodeId, ...registered }, now.getTime()),
    };
  }

  /** A fresh access token (and agent token) for the node secret; a revoked node gets none. */
  async renew(input: RenewNodeTokenRequest): Promise<RenewNodeTokenResponse> {
    const node = await this.nodes.findForAuthentication(input.nodeId);
    if (!node || !sameHex(node.secretHash, sha256Hex(input.nodeSecret))) throw new AuthException('INVALID_CREDENTIALS', 'unknown node or wrong node secret');
    if (node.status !== 'ACTIVE') throw new AuthException('NODE_REVOKED', `this node was revoked${node.revokedReason ? `: ${node.revokedReason}` : ''}`);
    return this.credentials.issue(node);
  }

  async heartbeat(node: NodePrincipal, beat: HeartbeatRequest): Promise<HeartbeatResponse> {
    const now = new Date();
    await this.transactions.run(async (tx) => {
      if (!(await this.nodes.recordHeartbeat(tx, node.scope, node.nodeId, beat, now))) throw new AuthException('NODE_REVOKED', 'this node was revoked');
      // An agent that cannot reach its hub does not know what the hub holds: its report of applied
      // revisions would be a guess, and reconciliation would act on it.
      if (beat.edgeReachable) await this.domainStates.recordReported(tx, node.scope, node.storeId, beat.appliedRevisions, now);
    });
    // The store's revoked nodes, for the hub: the revoked agent itself cannot be relied on to say.
    const revocationsToken = await this.revocations.tokenFor(node.scope, node.storeId, now.getTime());
    return { serverTime: now.toISOString(), ...(revocationsToken ? { revocationsToken } : {}) };
  }

  private async unusableToken(tokenHash: string, now: Date): Promise<AuthException> {
    const token = await this.bootstrapTokens.findByHash(tokenHash);
    if (!token) return new AuthException('BOOTSTRAP_TOKEN_INVALID', 'unknown bootstrap token');
    if (token.usedAt) return new AuthException('BOOTSTRAP_TOKEN_USED', 'this bootstrap token was already used: ask HQ for a new one');
    if (token.expiresAt.getTime() <= now.getTime())
      return new AuthException('BOOTSTRAP_TOKEN_EXPIRED', 'this bootstrap token has expired: ask HQ for a new one');
    // Consumed between our attempt and this look: by a concurrent registration.
    return new AuthException('BOOTSTRAP_TOKEN_USED', 'this bootstrap token was already used: ask HQ for a new one');
  }
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
