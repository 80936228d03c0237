import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateEd25519KeyPair, generateEs256KeyPair, randomToken } from '@app/crypto';

export interface DevKeys {
  authJwtSecret: string;
  commandSigningKey: string;
  clusterSigningKey: string;
}

/**
 * Outside production, keys that are not configured are generated once and kept in a file (mode
 * 0600), so a restarted cloud still verifies the tokens and commands it issued before, and edges
 * configured with its cluster public key keep working.
 */
export function loadOrCreateDevKeys(file: string): DevKeys {
  if (existsSync(file)) {
    const keys = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevKeys>;
    if (keys.authJwtSecret && keys.commandSigningKey && keys.clusterSigningKey) return keys as DevKeys;
  }
  const keys: DevKeys = {
    authJwtSecret: randomToken(48),
    commandSigningKey: generateEd25519KeyPair().privateKeyBase64,
    clusterSigningKey: generateEs256KeyPair().privateKeyBase64,
  };
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}
