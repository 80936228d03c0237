import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { CLUSTER_TOKEN_AUDIENCE, SIGNING_KEYS_TOKEN_TYPE, signingKeysTokenClaimsSchema, type PublicKeyInfo, type SigningKeysTokenClaims } from '@app/contracts';

/** Signs the command-signing public keys with the cluster key (see SigningKeysTokenClaims). */
export function signSigningKeysToken(signingKeys: readonly PublicKeyInfo[], clusterPrivateKey: KeyObject, now = Date.now()): string {
  const claims: SigningKeysTokenClaims = {
    aud: CLUSTER_TOKEN_AUDIENCE,
    typ: SIGNING_KEYS_TOKEN_TYPE,
    signingKeys: [...signingKeys],
    iat: Math.floor(now / 1000),
  };
  return jwt.sign(claims, clusterPrivateKey, { algorithm: 'ES256' });
}

export type SigningKeysTokenCheck = { ok: true; claims: SigningKeysTokenClaims } | { ok: false; message: string };

export function verifySigningKeysToken(token: unknown, clusterPublicKey: KeyObject): SigningKeysTokenCheck {
  if (typeof token !== 'string' || token.length === 0) return { ok: false, message: 'no token' };
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, clusterPublicKey, { algorithms: ['ES256'], ignoreExpiration: true });
  } catch (error) {
    return { ok: false, message: `token is not signed by the cluster key: ${(error as Error).message}` };
  }
  const parsed = signingKeysTokenClaimsSchema.safeParse(decoded);
  if (!parsed.success)
    return { ok: false, message: `token is not a signing-keys token: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  return { ok: true, claims: parsed.data };
}
