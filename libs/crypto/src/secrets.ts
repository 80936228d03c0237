import * as nodeCrypto from 'node:crypto';
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** A random, URL-safe secret: bootstrap tokens, node secrets, session ids. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * For high-entropy random tokens (bootstrap tokens, node secrets) a fast hash is enough: guessing
 * the input is infeasible. Human secrets (passwords, PINs) use `hashSecret`.
 */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sha256Hex(value: string): string {
  // crypto.hash (Node 20.12+) skips the Hash object: several times faster for the small inputs the
  // ingest hashes by the thousand.
  return oneShotHash ? oneShotHash('sha256', value, 'hex') : createHash('sha256').update(value, 'utf8').digest('hex');
}

export interface ScryptCost {
  /** log2 of N. 15 (32 MiB, ~50-100 ms here) for operator passwords. */
  logN: number;
  r: number;
  p: number;
}

export const PASSWORD_COST: ScryptCost = { logN: 15, r: 8, p: 1 };

function scryptAsync(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function options(cost: ScryptCost): ScryptOptions {
  const N = 2 ** cost.logN;
  return { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r };
}

/** A slow, salted hash: `scrypt$logN$r$p$salt$hash`, self-describing so the cost can rise later. */
export async function hashSecret(secret: string, cost: ScryptCost = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, 32, options(cost));
  return ['scrypt', cost.logN, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, logN, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const cost = { logN: Number(logN), r: Number(r), p: Number(p) };
  if (![cost.logN, cost.r, cost.p].every((n) => Number.isInteger(n) && n > 0) || cost.logN > 20) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length, options(cost));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
