import { supersedesDeadLetter, type CommandStatus } from '@app/sync';

/** One domain of one store as reconciliation sees it. */
export interface DomainSyncState {
  desiredRevision: number;
  /** From the store's heartbeats and acks. */
  appliedRevision: number;
  /** The lowest-seq open command of the domain (PENDING, DELIVERED, FAILED or DEAD_LETTER), if any. */
  head: { status: CommandStatus; revision: number; lastErrorCode: string | null; expiresAt: Date } | null;
}

export type RepairReason = 'drift' | 'revision-conflict' | 'expired' | 'behind-dead-letter';

/**
 * Whether a domain needs a snapshot of its desired state, and why:
 * - drift: the store holds another revision than desired and nothing is on its way to fix it
 *   (a store restored from backup, an edge box replaced, a change made behind the cloud's back);
 * - revision-conflict: the head command was dead-lettered because the store was not at the base
 *   revision it builds on, so no patch can ever apply, and the domain is blocked behind it;
 * - expired: the head command expired before it could be applied (a store offline for longer than
 *   COMMAND_TTL_SECONDS); re-sending it is pointless, the current state is what the store needs;
 * - behind-dead-letter: the head was dead-lettered (whatever the code) and a later revision waits
 *   behind it; the later state includes the dead letter's change (supersedesDeadLetter, libs/sync).
 * A dead letter at the desired revision (a bad signature, an edge down for every attempt, a payload
 * the hub refused) waits for support or the next publish: a snapshot of the same state would fail
 * the same way when the state is the cause.
 */
export function repairReason(state: DomainSyncState, now: Date): RepairReason | null {
  if (state.desiredRevision <= 0) return null;
  const { head } = state;
  if (!head) return state.appliedRevision !== state.desiredRevision ? 'drift' : null;
  if (head.status === 'DEAD_LETTER' && head.lastErrorCode === 'REVISION_CONFLICT') return 'revision-conflict';
  if (head.status === 'DEAD_LETTER' && head.lastErrorCode === 'EXPIRED') return 'expired';
  if (supersedesDeadLetter(head, state.desiredRevision)) return 'behind-dead-letter';
  if (head.status !== 'DELIVERED' && head.expiresAt.getTime() <= now.getTime()) return 'expired';
  return null;
}
