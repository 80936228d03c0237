import { Injectable } from '@nestjs/common';
import { MAX_REVOCATIONS_PER_TOKEN } from '@app/contracts';
import { signNodeRevocationsToken } from '@app/crypto';
import { CloudConfig } from '../config/cloud-config.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { AGENT_TOKEN_TTL_SECONDS } from './node-credentials.service.js';
import { NodesRepository } from './nodes.repository.js';

/**
 * A renewal that read the node as active just before the revocation committed may still sign one
 * token after `revokedAt`: its `exp` is at most this much later than the bound below assumes.
 */
const RENEWAL_RACE_SECONDS = 60;

/**
 * The store's revoked nodes as a token its hub can verify (signed with the cluster key, for one
 * store of one tenant). It rides on every heartbeat answer of the store's active node, so a hub
 * learns of a revocation from the replacement node's agent within a heartbeat, without relying on
 * the revoked agent to tell it.
 */
@Injectable()
export class NodeRevocationsService {
  constructor(
    private readonly config: CloudConfig,
    private readonly nodes: NodesRepository,
  ) {}

  /** Undefined when the store revoked no node within NODE_REVOCATION_NOTICE_SECONDS. */
  async tokenFor(scope: TenantScope, storeId: string, now = Date.now()): Promise<string | undefined> {
    const since = new Date(now - this.config.nodeRevocationNoticeSeconds * 1000);
    const rows = await this.nodes.revokedOfStoreSince(scope, storeId, since, MAX_REVOCATIONS_PER_TOKEN);
    if (rows.length === 0) return undefined;
    const revoked = rows.map((row) => {
      const revokedAt = Math.floor(row.revokedAt.getTime() / 1000);
      // A revoked node gets no token after its revocation: its last one expires by then.
      return { sub: row.id, revokedAt, tokensExpireBy: revokedAt + AGENT_TOKEN_TTL_SECONDS + RENEWAL_RACE_SECONDS };
    });
    return signNodeRevocationsToken({ tenantId: scope.tenantId, storeId, revoked }, this.config.clusterSigningKey, now);
  }
}
