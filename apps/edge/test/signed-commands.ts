import type { KeyObject } from 'node:crypto';
import { uuidv7, type CommandEnvelope, type CommandType, type JsonValue, type SyncDomain, COMMAND_DOMAIN, isSnapshotCommandType } from '@app/contracts';
import {
  generateEd25519KeyPair,
  signClusterToken,
  signCommand,
  signSigningKeysToken,
  signingKeyFrom,
  type CommandSigningKey,
  type GeneratedKeyPair,
} from '@app/crypto';

/** The cloud's side of the hub's trust, as tests play it: a command key and the cluster key. */
export class CloudSigner {
  readonly commandKeys: GeneratedKeyPair;
  readonly signingKey: CommandSigningKey;
  private seq = 0;

  constructor(
    private readonly clusterPrivateKey: KeyObject,
    readonly realm: { tenantId: string; storeId: string } = { tenantId: 't-demo', storeId: 's-001' },
  ) {
    this.commandKeys = generateEd25519KeyPair();
    this.signingKey = signingKeyFrom(this.commandKeys.privateKey, this.commandKeys.keyId);
  }

  /** The signing-keys token of these keys (plus any others), as the cloud publishes it. */
  signingKeysToken(extra: GeneratedKeyPair[] = [], now = Date.now()): string {
    return signSigningKeysToken(
      [this.commandKeys, ...extra].map((k) => ({ keyId: k.keyId, publicKey: k.publicKeyBase64 })),
      this.clusterPrivateKey,
      now,
    );
  }

  token(role: 'device' | 'agent', sub = role === 'agent' ? 'agent-1' : 'till-1', realm = this.realm, ttlSeconds = 600): string {
    return signClusterToken({ sub, role, ...realm }, this.clusterPrivateKey, ttlSeconds);
  }

  command(
    type: CommandType,
    payload: Record<string, JsonValue>,
    options: { revision: number; baseRevision?: number | null; expiresInMs?: number; realm?: { tenantId: string; storeId: string }; key?: CommandSigningKey },
  ): CommandEnvelope {
    const issuedAt = new Date();
    this.seq += 1;
    const domain: SyncDomain = COMMAND_DOMAIN[type];
    return signCommand(
      {
        commandId: uuidv7(),
        ...(options.realm ?? this.realm),
        seq: this.seq,
        domain,
        type,
        revision: options.revision,
        baseRevision: options.baseRevision !== undefined ? options.baseRevision : isSnapshotCommandType(type) ? null : options.revision - 1,
        payload,
        issuedAt: issuedAt.toISOString(),
        expiresAt: new Date(issuedAt.getTime() + (options.expiresInMs ?? 3_600_000)).toISOString(),
      },
      options.key ?? this.signingKey,
    );
  }
}
