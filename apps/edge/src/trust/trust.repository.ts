import { Inject, Injectable } from '@nestjs/common';
import type { PublicKeyInfo } from '@app/contracts';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

export interface TrustedKeySet {
  keys: PublicKeyInfo[];
  /** `iat` of the signing-keys token they came from; null before any. */
  iat: number | null;
}

/** The cloud's command-signing public keys this hub trusts (several at once while keys rotate). */
@Injectable()
export class TrustRepository {
  private readonly selectAll;
  private readonly deleteAll;
  private readonly insertKey;
  private readonly setIat;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.selectAll = db.prepare<[], { key_id: string; public_key: string; token_iat: number }>(
      'SELECT key_id, public_key, token_iat FROM trusted_signing_keys ORDER BY key_id',
    );
    this.deleteAll = db.prepare('DELETE FROM trusted_signing_keys');
    this.setIat = db.prepare<[number]>('UPDATE trusted_signing_keys SET token_iat = ?');
    this.insertKey = db.prepare<[string, string, number, string]>(
      'INSERT INTO trusted_signing_keys (key_id, public_key, token_iat, trusted_at) VALUES (?, ?, ?, ?)',
    );
  }

  current(): TrustedKeySet {
    const rows = this.selectAll.all();
    return { keys: rows.map((r) => ({ keyId: r.key_id, publicKey: r.public_key })), iat: rows.length === 0 ? null : Math.max(...rows.map((r) => r.token_iat)) };
  }

  /** The same set, from a newer token: an older token is then measured against this one. */
  touch(iat: number): void {
    this.setIat.run(iat);
  }

  /** Replaces the whole set (keys missing from a newer set are retired); inside the caller's transaction. */
  replace(keys: readonly PublicKeyInfo[], iat: number): void {
    const now = new Date().toISOString();
    this.deleteAll.run();
    for (const key of keys) this.insertKey.run(key.keyId, key.publicKey, iat, now);
  }
}
