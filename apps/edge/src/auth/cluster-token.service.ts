import { Injectable } from '@nestjs/common';
import type { ClusterTokenClaims } from '@app/contracts';
import { verifyClusterToken } from '@app/crypto';
import { EdgeConfig } from '../config/edge-config.js';
import { EdgeAuthException } from './edge-auth.exception.js';

/**
 * Verifies cluster tokens offline (ES256, the cloud's public key from CLUSTER_PUBLIC_KEY_BASE64):
 * signature, `aud`, `nbf`, `exp`, and that the token is for this hub's tenant and store. Used by
 * the Socket.IO handshake and by the passport-jwt strategy of the HTTP routes.
 */
@Injectable()
export class ClusterTokenService {
  constructor(private readonly config: EdgeConfig) {}

  verify(token: string): ClusterTokenClaims {
    const check = verifyClusterToken(token, this.config.clusterPublicKey, { tenantId: this.config.tenantId, storeId: this.config.storeId });
    if (check.ok) return check.claims;
    throw new EdgeAuthException(check.reason === 'realm_mismatch' ? 'realmMismatch' : 'unauthorized', check.message);
  }
}
