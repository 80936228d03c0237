import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { CLUSTER_TOKEN_AUDIENCE, clusterTokenClaimsSchema, type ClusterRole, type ClusterTokenClaims } from '@app/contracts';

export interface ClusterTokenSubject {
  sub: string;
  tenantId: string;
  storeId: string;
  role: ClusterRole;
}

export function signClusterToken(subject: ClusterTokenSubject, privateKey: KeyObject, ttlSeconds: number, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const claims: ClusterTokenClaims = { ...subject, aud: CLUSTER_TOKEN_AUDIENCE, iat, nbf: iat - 5, exp: iat + ttlSeconds };
  return jwt.sign(claims, privateKey, { algorithm: 'ES256' });
}

export type ClusterTokenFailure = 'missing' | 'malformed' | 'bad_signature' | 'expired' | 'not_yet_valid' | 'wrong_audience' | 'realm_mismatch';

export type ClusterTokenCheck = { ok: true; claims: ClusterTokenClaims; expired: boolean } | { ok: false; reason: ClusterTokenFailure; message: string };

export interface ClusterTokenExpectations {
  tenantId: string;
  storeId: string;
  now?: number;
  /** Seconds of clock skew tolerated on `nbf` and `exp`. */
  clockToleranceSeconds?: number;
  /**
   * Seconds past `exp` a token is still accepted, for devices the hub already knows while the
   * WAN is down and no fresh token can be fetched. 0 for unknown devices.
   */
  expiredGraceSeconds?: number;
}

/** Verifies a cluster token offline with the cloud's public key (ES256 only). */
export function verifyClusterToken(token: unknown, publicKey: KeyObject, expect: ClusterTokenExpectations): ClusterTokenCheck {
  if (typeof token !== 'string' || token.length === 0) return { ok: false, reason: 'missing', message: 'no token' };
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, publicKey, { algorithms: ['ES256'], ignoreExpiration: true, ignoreNotBefore: true });
  } catch (error) {
    const message = (error as Error).message;
    if (message.includes('signature')) return { ok: false, reason: 'bad_signature', message: 'token signature is invalid' };
    return { ok: false, reason: 'malformed', message: `token is malformed: ${message}` };
  }
  const parsed = clusterTokenClaimsSchema.safeParse(decoded);
  if (!parsed.success) {
    const audience = (decoded as { aud?: unknown } | null)?.aud;
    if (audience !== CLUSTER_TOKEN_AUDIENCE) return { ok: false, reason: 'wrong_audience', message: `token audience must be '${CLUSTER_TOKEN_AUDIENCE}'` };
    return {
      ok: false,
      reason: 'malformed',
      message: `token claims are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    };
  }
  const claims = parsed.data;
  const nowSeconds = Math.floor((expect.now ?? Date.now()) / 1000);
  const tolerance = expect.clockToleranceSeconds ?? 30;
  if (claims.nbf > nowSeconds + tolerance) return { ok: false, reason: 'not_yet_valid', message: 'token is not valid yet' };
  const expired = claims.exp + tolerance < nowSeconds;
  if (expired && claims.exp + tolerance + (expect.expiredGraceSeconds ?? 0) < nowSeconds) {
    return { ok: false, reason: 'expired', message: 'token has expired' };
  }
  if (claims.tenantId !== expect.tenantId || claims.storeId !== expect.storeId) {
    return {
      ok: false,
      reason: 'realm_mismatch',
      message: `token is for ${claims.tenantId}/${claims.storeId}, this hub serves ${expect.tenantId}/${expect.storeId}`,
    };
  }
  return { ok: true, claims, expired };
}
