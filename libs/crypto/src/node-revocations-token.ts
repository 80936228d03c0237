import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import {
  CLUSTER_TOKEN_AUDIENCE,
  NODE_REVOCATIONS_TOKEN_TYPE,
  nodeRevocationsTokenClaimsSchema,
  type NodeRevocationsTokenClaims,
  type RevokedSubject,
} from '@app/contracts';

export interface NodeRevocations {
  tenantId: string;
  storeId: string;
  revoked: readonly RevokedSubject[];
}

/** Signs a store's revoked nodes with the cluster key (see NodeRevocationsTokenClaims). */
export function signNodeRevocationsToken(revocations: NodeRevocations, clusterPrivateKey: KeyObject, now = Date.now()): string {
  const claims: NodeRevocationsTokenClaims = {
    aud: CLUSTER_TOKEN_AUDIENCE,
    typ: NODE_REVOCATIONS_TOKEN_TYPE,
    tenantId: revocations.tenantId,
    storeId: revocations.storeId,
    revoked: [...revocations.revoked],
    iat: Math.floor(now / 1000),
  };
  return jwt.sign(claims, clusterPrivateKey, { algorithm: 'ES256' });
}

export type NodeRevocationsTokenCheck =
  { ok: true; claims: NodeRevocationsTokenClaims } | { ok: false; reason: 'missing' | 'bad_signature' | 'malformed' | 'wrong_store'; message: string };

/** Verifies the token with the cluster public key (ES256 only) and that it is for this store. */
export function verifyNodeRevocationsToken(
  token: unknown,
  clusterPublicKey: KeyObject,
  realm: { tenantId: string; storeId: string },
): NodeRevocationsTokenCheck {
  if (typeof token !== 'string' || token.length === 0) return { ok: false, reason: 'missing', message: 'no token' };
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, clusterPublicKey, { algorithms: ['ES256'], ignoreExpiration: true });
  } catch (error) {
    return { ok: false, reason: 'bad_signature', message: `token is not signed by the cluster key: ${(error as Error).message}` };
  }
  const parsed = nodeRevocationsTokenClaimsSchema.safeParse(decoded);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'malformed',
      message: `token is not a node-revocations token: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    };
  }
  const claims = parsed.data;
  if (claims.tenantId !== realm.tenantId || claims.storeId !== realm.storeId) {
    return {
      ok: false,
      reason: 'wrong_store',
      message: `token is for ${claims.tenantId}/${claims.storeId}, this hub serves ${realm.tenantId}/${realm.storeId}`,
    };
  }
  return { ok: true, claims };
}
