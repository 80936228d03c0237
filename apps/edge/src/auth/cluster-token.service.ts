import { Injectable, Logger } from '@nestjs/common';
import type { ClusterTokenClaims } from '@app/contracts';
import { verifyClusterToken } from '@app/crypto';
import { EdgeConfig } from '../config/edge-config.js';
import { EdgeAuthException } from './edge-auth.exception.js';
import { KnownDevicesRepository } from './known-devices.repository.js';
import { TokenRevocations } from './token-revocations.service.js';

/**
 * Verifies cluster tokens offline (ES256, the cloud's public key from CLUSTER_PUBLIC_KEY_BASE64):
 * signature, `aud`, `nbf`, `exp` (both with EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS), and that the token is for this hub's tenant and store. Used by
 * the Socket.IO handshake and by the passport-jwt strategy of the HTTP routes.
 *
 * SYSTEM.md 4.5: a device the hub already knows (it connected before with a valid token) keeps
 * working for EDGE_TOKEN_GRACE_SECONDS after its token expired, because with the WAN down it
 * cannot get a new one; an unknown device with an expired token is refused. A token whose subject
 * was revoked (a revoked node's agent token: TokenRevocations) is refused however valid it is.
 */
@Injectable()
export class ClusterTokenService {
  private readonly logger = new Logger(ClusterTokenService.name);
  private readonly seen = new Set<string>();

  constructor(
    private readonly config: EdgeConfig,
    private readonly knownDevices: KnownDevicesRepository,
    private readonly revocations: TokenRevocations,
  ) {}

  verify(token: string): ClusterTokenClaims {
    const realm = { tenantId: this.config.tenantId, storeId: this.config.storeId };
    const check = verifyClusterToken(token, this.config.clusterPublicKey, {
      ...realm,
      clockToleranceSeconds: this.config.tokenClockToleranceSeconds,
      expiredGraceSeconds: this.config.tokenGraceSeconds,
    });
    if (!check.ok) throw new EdgeAuthException(check.reason === 'realm_mismatch' ? 'realmMismatch' : 'unauthorized', check.message);
    if (this.revocations.isRevoked(check.claims.sub)) throw new EdgeAuthException('unauthorized', 'token was revoked: its node was revoked by HQ');
    if (check.expired) {
      if (!this.isKnown(check.claims.sub)) throw new EdgeAuthException('unauthorized', 'token has expired');
      return check.claims;
    }
    this.remember(check.claims);
    return check.claims;
  }

  private isKnown(deviceId: string): boolean {
    return this.seen.has(deviceId) || this.knownDevices.isKnown(deviceId);
  }

  /** Records a device with a valid token (once per device and process: this runs on every request). */
  private remember(claims: ClusterTokenClaims): void {
    if (this.seen.has(claims.sub)) return;
    try {
      this.knownDevices.remember(claims.sub, claims.role, new Date().toISOString());
      this.seen.add(claims.sub);
    } catch (error) {
      // A full or read-only disk must not lock out a device with a valid token; it is remembered next time.
      this.logger.warn({ err: error, deviceId: claims.sub }, 'could not record a known device');
    }
  }
}
