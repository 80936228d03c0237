import { validateCommandPayload, type CommandType, type SyncDomain } from '@app/contracts';
import { applyCommandToState, emptyDomainState, type DomainStates } from '@app/sync';

/** A stored revision's change, as publish applied it to the state before it. */
export interface RevisionPatch {
  revision: number;
  commandType: string;
  payload: unknown;
}

/**
 * The state a domain's history leads to: the checkpoint's state (or the empty state before
 * revision 1) with each later patch applied in order, exactly as publish computed it (the payload
 * validated, then `applyCommandToState`). Throws when the patches do not follow the checkpoint one
 * by one, or when one no longer validates: a state that cannot be rebuilt is never guessed.
 */
export function replayRevisions(
  domain: SyncDomain,
  checkpoint: { revision: number; state: Record<string, unknown> } | null,
  patches: readonly RevisionPatch[],
): Record<string, unknown> {
  let revision = checkpoint?.revision ?? 0;
  let state = (checkpoint?.state ?? emptyDomainState(domain)) as DomainStates[SyncDomain];
  for (const patch of patches) {
    if (patch.revision !== revision + 1) throw new Error(`${domain} revision ${revision + 1} is missing from the history (next stored: ${patch.revision})`);
    const checked = validateCommandPayload(patch.commandType as CommandType, patch.payload);
    if (!checked.ok)
      throw new Error(`${domain} revision ${patch.revision} no longer validates: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    state = applyCommandToState(patch.commandType as CommandType, state, checked.value);
    revision = patch.revision;
  }
  // As stored: what a JSON column gives back (no undefined members).
  return JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
}

/** Whether a revision keeps its whole state once a later one exists. */
export function isCheckpoint(revision: number, interval: number): boolean {
  return revision % interval === 0;
}
