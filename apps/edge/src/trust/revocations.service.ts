import { Injectable } from '@nestjs/common';
import type { ClusterTokenClaims, TrustRevocationsResponse } from '@app/contracts';
import { verifyNodeRevocationsToken } from '@app/crypto';
import { EdgeAuditService } from '../audit/audit.service.js';
import { TokenRevocations } from '../auth/token-revocations.service.js';
import { EdgeConfig } from '../config/edge-config.js';
import { TrustException } from './trust.exception.js';

/**
 * How revocations reach the hub. The cloud's list of the store's revoked nodes arrives signed with
 * the cluster key (the hub's one root of trust) through any agent of the store, in practice the
 * replacement node's: the hub believes the signature, not the messenger. An agent may also report
 * its own revocation unsigned: it can only ever lock out itself.
 */
@Injectable()
export class RevocationsService {
  constructor(
    private readonly config: EdgeConfig,
    private readonly revocations: TokenRevocations,
    private readonly audit: EdgeAuditService,
  ) {}

  applyToken(token: string, actor: string): TrustRevocationsResponse {
    const checked = verifyNodeRevocationsToken(token, this.config.clusterPublicKey, { tenantId: this.config.tenantId, storeId: this.config.storeId });
    if (!checked.ok)
      throw checked.reason === 'wrong_store' ? TrustException.revocationsWrongStore(checked.message) : TrustException.revocationsInvalid(checked.message);
    const { revoked, iat } = checked.claims;
    const added = this.revocations.add(
      revoked.map((r) => ({ sub: r.sub, revokedAt: r.revokedAt, tokensExpireBy: r.tokensExpireBy, source: 'cloud' as const })),
      (subjects) => this.audit.record({ actor, action: 'trust.revocations.applied', target: null, details: { revoked: subjects, source: 'cloud', iat } }),
    );
    return { added, revoked: this.revocations.list() };
  }

  /**
   * The calling agent's own token, and every other token with its subject: its node was revoked.
   * A token issued no later than now expires within one lifetime of this one (exp - iat).
   */
  revokeCaller(caller: ClusterTokenClaims): TrustRevocationsResponse {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = Math.max(0, caller.exp - (caller.iat ?? caller.nbf));
    const added = this.revocations.add(
      [{ sub: caller.sub, revokedAt: now, tokensExpireBy: Math.max(caller.exp, now + lifetime), source: 'self' }],
      (subjects) => this.audit.record({ actor: caller.sub, action: 'trust.revocations.applied', target: null, details: { revoked: subjects, source: 'self' } }),
    );
    return { added, revoked: this.revocations.list() };
  }

  current(): TrustRevocationsResponse {
    return { added: [], revoked: this.revocations.list() };
  }
}
