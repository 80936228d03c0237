import { isSnapshotCommandType, type CommandEnvelope } from '@app/contracts';
import { CommandsException } from './commands.exception.js';

/**
 * The If-Match header: the revision the agent builds on, as a bare or quoted integer. A patch must
 * carry it and it must be the envelope's signed `baseRevision`; a snapshot replaces the domain
 * whatever its base, so the header is optional there.
 */
export function checkIfMatch(header: string | undefined, envelope: CommandEnvelope): void {
  const snapshot = isSnapshotCommandType(envelope.type);
  if (header === undefined || header.trim() === '') {
    if (snapshot) return;
    throw CommandsException.ifMatchRequired();
  }
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw CommandsException.ifMatchInvalid(`If-Match must be a revision number, not '${header.slice(0, 40)}'`);
  const revision = Number(match[1]);
  if (!snapshot && revision !== envelope.baseRevision) {
    throw CommandsException.ifMatchInvalid(`If-Match ${revision} is not the command's base revision ${String(envelope.baseRevision)}`);
  }
}
