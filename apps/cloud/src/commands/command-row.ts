import type { CommandEnvelope, CommandType, JsonValue, SyncDomain } from '@app/contracts';
import type { CommandStatus } from '@app/sync';

/** A SyncCommand row as the command core reads and writes it. */
export interface CommandRow {
  id: string;
  tenantId: string;
  storeId: string;
  seq: number;
  domain: SyncDomain;
  type: CommandType;
  revision: number;
  baseRevision: number | null;
  revisionId: string | null;
  payload: Record<string, JsonValue>;
  issuedAt: Date;
  expiresAt: Date;
  keyId: string;
  signature: string;
  status: CommandStatus;
  attempts: number;
  maxAttempts: number;
  availableAt: Date;
  deliveredAt: Date | null;
  ackDeadlineAt: Date | null;
  ackedAt: Date | null;
  appliedRevision: number | null;
  lastErrorCode: string | null;
  lastErrorDetail: string | null;
  supersededById: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields a transition may change. */
export type CommandChanges = Partial<
  Pick<
    CommandRow,
    | 'status'
    | 'attempts'
    | 'availableAt'
    | 'deliveredAt'
    | 'ackDeadlineAt'
    | 'ackedAt'
    | 'appliedRevision'
    | 'lastErrorCode'
    | 'lastErrorDetail'
    | 'supersededById'
    | 'issuedAt'
    | 'expiresAt'
    | 'keyId'
    | 'signature'
  >
>;

/** The signed envelope exactly as it was signed (dates at millisecond precision, as stored). */
export function toEnvelope(row: CommandRow): CommandEnvelope {
  return {
    commandId: row.id,
    tenantId: row.tenantId,
    storeId: row.storeId,
    seq: row.seq,
    domain: row.domain,
    type: row.type,
    revision: row.revision,
    baseRevision: row.baseRevision,
    payload: row.payload,
    issuedAt: row.issuedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    keyId: row.keyId,
    signature: row.signature,
  };
}
