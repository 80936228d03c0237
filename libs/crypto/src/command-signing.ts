import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { CommandEnvelope, PublicKeyInfo, UnsignedCommandEnvelope } from '@app/contracts';
import { canonicalize } from './canonical-json.js';
import { keyIdOf, publicKeyFromBase64, publicKeyToBase64 } from './keys.js';

export interface CommandSigningKey {
  keyId: string;
  privateKey: KeyObject;
}

/** The public keys a verifier trusts, by key id. Several may be valid at once while keys rotate. */
export class CommandKeyring {
  private readonly keys = new Map<string, KeyObject>();

  static fromPublicKeys(infos: readonly PublicKeyInfo[]): CommandKeyring {
    const ring = new CommandKeyring();
    for (const info of infos) ring.add(info.keyId, publicKeyFromBase64(info.publicKey));
    return ring;
  }

  add(keyId: string, publicKey: KeyObject): this {
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`key ${keyId} is not an Ed25519 key`);
    this.keys.set(keyId, publicKey);
    return this;
  }

  get(keyId: string): KeyObject | undefined {
    return this.keys.get(keyId);
  }

  get size(): number {
    return this.keys.size;
  }

  toPublicKeys(): PublicKeyInfo[] {
    return [...this.keys].map(([keyId, key]) => ({ keyId, publicKey: publicKeyToBase64(key) }));
  }
}

export function signingKeyFrom(privateKey: KeyObject, keyId?: string): CommandSigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('command signing keys must be Ed25519');
  return { keyId: keyId ?? keyIdOf(createPublicKey(privateKey)), privateKey };
}

/** The bytes a signature covers: canonical JSON of every field but `signature`. */
export function commandSigningInput(envelope: Record<string, unknown>): Buffer {
  const { signature: _signature, ...rest } = envelope;
  return Buffer.from(canonicalize(rest), 'utf8');
}

export function signCommand(unsigned: Omit<UnsignedCommandEnvelope, 'keyId'>, key: CommandSigningKey): CommandEnvelope {
  const withKey = { ...unsigned, keyId: key.keyId };
  const signature = sign(null, commandSigningInput(withKey), key.privateKey).toString('base64url');
  return { ...withKey, signature } as CommandEnvelope;
}

export type SignatureCheck = { ok: true } | { ok: false; code: 'UNKNOWN_KEY' | 'SIGNATURE_INVALID'; message: string };

/**
 * Checks a raw envelope as received, before any parsing drops or coerces fields: anything added,
 * removed or changed after signing makes the check fail.
 */
export function verifyCommandSignature(envelope: Record<string, unknown>, keyring: CommandKeyring): SignatureCheck {
  const { keyId, signature } = envelope;
  if (typeof keyId !== 'string' || keyId.length === 0) return { ok: false, code: 'SIGNATURE_INVALID', message: 'keyId is missing' };
  const key = keyring.get(keyId);
  if (!key) return { ok: false, code: 'UNKNOWN_KEY', message: `key '${keyId}' is not trusted` };
  if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]{86}$/.test(signature)) {
    return { ok: false, code: 'SIGNATURE_INVALID', message: 'signature is missing or not base64url Ed25519' };
  }
  let input: Buffer;
  try {
    input = commandSigningInput(envelope);
  } catch (error) {
    return { ok: false, code: 'SIGNATURE_INVALID', message: `envelope is not canonical JSON: ${(error as Error).message}` };
  }
  const valid = verify(null, input, key, Buffer.from(signature, 'base64url'));
  return valid ? { ok: true } : { ok: false, code: 'SIGNATURE_INVALID', message: `signature does not match key '${keyId}'` };
}
