import type { CommandStatus } from './command-state-machine.js';

/** An open command of a domain (PENDING, DELIVERED, FAILED or DEAD_LETTER), as these rules need it. */
export interface OpenDomainCommand {
  id: string;
  seq: number;
  status: CommandStatus;
  revision: number;
  lastErrorCode: string | null;
}

/**
 * Whether the head of a domain (its lowest-seq open command) is a dead letter that a later
 * revision makes moot.
 *
 * A dead letter stays open, and a later revision never overtakes an earlier one, so without this
 * rule every later revision of the domain would wait behind it until support retried it. Once a
 * revision beyond the dead letter's exists, its state includes the dead letter's change, so the
 * dead letter need not be applied on its own. The later revision cannot go as a patch, though: a
 * patch builds on its base revision, and the dead letter (that base, or an ancestor of it) was
 * never applied. So the domain is sent a snapshot of the later revision's whole state, which
 * supersedes the dead letter and every command queued behind it.
 *
 * A dead letter at the desired revision (nothing published after it) waits for support or for the
 * next publish: repeating its state as a snapshot would only fail the same way when the state is
 * the cause (too large, refused by the hub), and the command view tells support why it failed.
 */
export function supersedesDeadLetter(head: Pick<OpenDomainCommand, 'status' | 'revision'> | null | undefined, desiredRevision: number): boolean {
  return head?.status === 'DEAD_LETTER' && desiredRevision > head.revision;
}

export type RevisionCommandPlan = { send: 'patch' } | { send: 'snapshot'; supersede: string[]; deadLetter: { commandId: string; errorCode: string | null } };

/**
 * How a newly published revision of a domain goes to the store, given the domain's open commands
 * oldest first: as the patch the operator made, queued behind whatever is on its way; or, when the
 * head is a dead letter, as a snapshot of the new state that supersedes every open command.
 */
export function planRevisionCommand(open: readonly OpenDomainCommand[], newRevision: number): RevisionCommandPlan {
  const head = open[0];
  if (!head || !supersedesDeadLetter(head, newRevision)) return { send: 'patch' };
  return { send: 'snapshot', supersede: open.map((c) => c.id), deadLetter: { commandId: head.id, errorCode: head.lastErrorCode } };
}

/**
 * The dead letter an open command waits behind, if that is why it waits: it is PENDING and the
 * head of its domain, ahead of it, is dead-lettered. Until a later revision or reconciliation
 * supersedes it (or support retries it), support is shown this as the reason.
 */
export function blockingDeadLetter<C extends Pick<OpenDomainCommand, 'seq' | 'status'>>(
  command: Pick<OpenDomainCommand, 'seq' | 'status'>,
  head: C | null | undefined,
): C | null {
  return command.status === 'PENDING' && head?.status === 'DEAD_LETTER' && head.seq < command.seq ? head : null;
}
