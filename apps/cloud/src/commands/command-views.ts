import type { BlockingDeadLetterView, CommandDetailView, CommandLogView, CommandStatusName, CommandView, SyncDomain } from '@app/contracts';
import { withoutPinHashes } from '../revisions/user-pins.js';
import type { CommandDetailRow, CommandListRow } from './command-queries.repository.js';

/** `blockedBy`: the dead letter a PENDING command waits behind (blockingDeadLetter in libs/sync). */
export function toCommandView(row: CommandListRow, blockedBy: BlockingDeadLetterView | null = null, now = new Date()): CommandView {
  const waiting = row.status === 'FAILED' || (row.status === 'PENDING' && row.availableAt.getTime() > now.getTime());
  return {
    commandId: row.id,
    storeId: row.storeId,
    storeCode: row.store.code,
    seq: row.seq,
    domain: row.domain as SyncDomain,
    type: row.type,
    revision: row.revision,
    baseRevision: row.baseRevision,
    status: row.status as CommandStatusName,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    ackedAt: row.ackedAt?.toISOString() ?? null,
    nextAttemptAt: waiting ? row.availableAt.toISOString() : null,
    appliedRevision: row.appliedRevision,
    lastErrorCode: row.lastErrorCode,
    lastErrorDetail: row.lastErrorDetail,
    expiresAt: row.expiresAt.toISOString(),
    blockedBy,
  };
}

export function toCommandDetailView(row: CommandDetailRow, blockedBy: BlockingDeadLetterView | null = null): CommandDetailView {
  return {
    ...toCommandView(row, blockedBy),
    // Users' PIN hashes are for the store only: operators see whether one is set.
    payload: withoutPinHashes(row.payload as Record<string, unknown>),
    logs: row.logs.map((log): CommandLogView => ({
      id: Number(log.id),
      at: log.createdAt.toISOString(),
      fromStatus: log.fromStatus as CommandStatusName | null,
      toStatus: log.toStatus as CommandStatusName,
      event: log.event,
      attempt: log.attempt,
      errorCode: log.errorCode,
      errorDetail: log.errorDetail,
      actorType: log.actorType,
      actorId: log.actorId,
      actorLabel: log.actorEmail,
    })),
  };
}
