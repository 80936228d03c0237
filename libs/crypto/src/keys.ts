import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * Keys travel as base64 of their PEM text (SYSTEM.md 6: `publicKey` and `clusterPublicKey` are
 * base64 of SPKI PEM), which survives env files, JSON and YAML without line-break trouble.
 */
export function pemToBase64(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

export function base64ToPem(base64: string): string {
  const pem = Buffer.from(base64, 'base64').toString('utf8');
  if (!pem.includes('-----BEGIN')) throw new Error('not base64 of a PEM key');
  return pem;
}

export function publicKeyFromBase64(base64: string): KeyObject {
  return createPublicKey(base64ToPem(base64));
}

export function privateKeyFromBase64(base64: string): KeyObject {
  return createPrivateKey(base64ToPem(base64));
}

export function publicKeyToBase64(key: KeyObject): string {
  return pemToBase64(key.export({ type: 'spki', format: 'pem' }).toString());
}

export function privateKeyToBase64(key: KeyObject): string {
  return pemToBase64(key.export({ type: 'pkcs8', format: 'pem' }).toString());
}

/** A stable key id derived from the public key, so rotation needs no separate naming. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(der).digest('base64url').slice(0, 16);
  return `${publicKey.asymmetricKeyType}-${digest}`;
}

export interface GeneratedKeyPair {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  privateKeyBase64: string;
  publicKeyBase64: string;
}

function describe(pair: { privateKey: KeyObject; publicKey: KeyObject }): GeneratedKeyPair {
  return {
    keyId: keyIdOf(pair.publicKey),
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    privateKeyBase64: privateKeyToBase64(pair.privateKey),
    publicKeyBase64: publicKeyToBase64(pair.publicKey),
  };
}

export function generateEd25519KeyPair(): GeneratedKeyPair {
  return describe(generateKeyPairSync('ed25519'));
}

/** ES256 (P-256) keys sign cluster tokens: jsonwebtoken has no EdDSA. */
export function generateEs256KeyPair(): GeneratedKeyPair {
  return describe(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
}
