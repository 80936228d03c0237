import { Injectable } from '@nestjs/common';
import type { TrustedSigningKeysResponse } from '@app/contracts';
import { CommandKeyring, verifySigningKeysToken } from '@app/crypto';
import { EdgeAuditService } from '../audit/audit.service.js';
import { EdgeConfig } from '../config/edge-config.js';
import { SqliteTransaction } from '../database/sqlite-transaction.js';
import { TrustException } from './trust.exception.js';
import { TrustRepository } from './trust.repository.js';

/**
 * The hub trusts only its configured cluster public key. The command-signing keys reach it as a
 * token signed with that key (through the agent), so they rotate without reconfiguring the hub.
 */
@Injectable()
export class TrustService {
  private keyringCache: CommandKeyring | null = null;

  constructor(
    private readonly repository: TrustRepository,
    private readonly audit: EdgeAuditService,
    private readonly config: EdgeConfig,
    private readonly transaction: SqliteTransaction,
  ) {}

  /** The keys commands are verified against (empty until the agent has handed some over). */
  keyring(): CommandKeyring {
    this.keyringCache ??= CommandKeyring.fromPublicKeys(this.repository.current().keys);
    return this.keyringCache;
  }

  current(): TrustedSigningKeysResponse {
    const held = this.repository.current();
    return { keyIds: held.keys.map((k) => k.keyId), iat: held.iat, changed: false };
  }

  trustToken(token: string, actor: string): TrustedSigningKeysResponse {
    const checked = verifySigningKeysToken(token, this.config.clusterPublicKey);
    if (!checked.ok) throw TrustException.invalid(checked.message);
    const { signingKeys, iat } = checked.claims;
    let keyring: CommandKeyring;
    try {
      keyring = CommandKeyring.fromPublicKeys(signingKeys);
    } catch (error) {
      throw TrustException.invalid((error as Error).message);
    }
    const incoming = keyring.toPublicKeys().sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
    const result = this.transaction.run((): TrustedSigningKeysResponse => {
      const held = this.repository.current();
      const keyIds = incoming.map((k) => k.keyId);
      const sameKeys = JSON.stringify(held.keys) === JSON.stringify(incoming);
      if (held.iat !== null && iat < held.iat) {
        // The cloud signs a fresh token on every answer: an older one with the keys already held
        // is a late copy, not an attempt to bring back a retired key.
        if (sameKeys) return { keyIds, iat: held.iat, changed: false };
        throw TrustException.stale(iat, held.iat);
      }
      if (sameKeys) {
        // The agent hands a fresh token over on every heartbeat: only the issue time moves on.
        if (iat !== held.iat) this.repository.touch(iat);
        return { keyIds, iat, changed: false };
      }
      this.repository.replace(incoming, iat);
      this.audit.record({
        actor,
        action: 'trust.signing-keys.replaced',
        target: null,
        details: { keyIds, iat, previousKeyIds: held.keys.map((k) => k.keyId), previousIat: held.iat },
      });
      return { keyIds, iat, changed: true };
    });
    if (result.changed) this.keyringCache = keyring;
    return result;
  }
}
