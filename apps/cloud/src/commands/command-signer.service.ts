import { Injectable } from '@nestjs/common';
import type { CommandEnvelope, UnsignedCommandEnvelope } from '@app/contracts';
import { signCommand } from '@app/crypto';
import { CloudConfig } from '../config/cloud-config.js';
import type { CommandRow } from './command-row.js';

/** A command that expires within this is re-signed with a fresh expiry when support retries it. */
const RESIGN_WHEN_EXPIRING_WITHIN_MS = 24 * 3600 * 1000;

/** Signs command envelopes with the active Ed25519 key (COMMAND_SIGNING_KEY, its keyId). */
@Injectable()
export class CommandSigner {
  constructor(private readonly config: CloudConfig) {}

  /** Issued now, expiring after COMMAND_TTL_SECONDS. */
  sign(unsigned: Omit<UnsignedCommandEnvelope, 'keyId' | 'issuedAt' | 'expiresAt'>, now: Date): CommandEnvelope {
    const issuedAt = new Date(now.getTime());
    const expiresAt = new Date(now.getTime() + this.config.commands.ttlSeconds * 1000);
    return signCommand({ ...unsigned, issuedAt: issuedAt.toISOString(), expiresAt: expiresAt.toISOString() }, this.config.commandSigningKey);
  }

  /** Expired, about to, or signed with a key nodes no longer trust: a retry would only fail again. */
  needsResigning(row: Pick<CommandRow, 'expiresAt' | 'keyId'>, now: Date): boolean {
    return row.expiresAt.getTime() - now.getTime() < RESIGN_WHEN_EXPIRING_WITHIN_MS || !this.config.commandVerifyKeys.some((k) => k.keyId === row.keyId);
  }

  /** The same command (id, seq, revision, payload) with a fresh issue time, expiry and signature. */
  resign(row: CommandRow, now: Date): Pick<CommandRow, 'issuedAt' | 'expiresAt' | 'keyId' | 'signature'> {
    const envelope = this.sign(
      {
        commandId: row.id,
        tenantId: row.tenantId,
        storeId: row.storeId,
        seq: row.seq,
        domain: row.domain,
        type: row.type,
        revision: row.revision,
        baseRevision: row.baseRevision,
        payload: row.payload,
      },
      now,
    );
    return { issuedAt: new Date(envelope.issuedAt), expiresAt: new Date(envelope.expiresAt), keyId: envelope.keyId, signature: envelope.signature };
  }
}
