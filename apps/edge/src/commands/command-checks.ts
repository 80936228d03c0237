import { commandEnvelopeSchema, isSnapshotCommandType, validate, validateCommandPayload, type CommandEnvelope } from '@app/contracts';
import { verifyCommandSignature, type CommandKeyring } from '@app/crypto';
import { CommandsException } from './commands.exception.js';

export interface HubRealm {
  tenantId: string;
  storeId: string;
}

/**
 * The envelope as signed by the cloud, for this hub: the signature is checked on the raw body
 * first (anything added, removed or changed after signing fails it), then the structure, then the
 * realm. Pure; the service adds what needs the database (replay, revision).
 */
export function checkSignedEnvelope(raw: unknown, keyring: CommandKeyring, realm: HubRealm): CommandEnvelope {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw CommandsException.invalidPayload([{ path: '', code: 'invalid_type', message: 'must be a signed command envelope (a JSON object)' }]);
  }
  const signature = verifyCommandSignature(raw as Record<string, unknown>, keyring);
  if (!signature.ok) throw CommandsException.refused(signature.code, signature.message);
  const parsed = validate(commandEnvelopeSchema, raw);
  if (!parsed.ok) throw CommandsException.invalidPayload(parsed.issues);
  const envelope = parsed.value as CommandEnvelope;
  if (envelope.tenantId !== realm.tenantId || envelope.storeId !== realm.storeId) {
    throw CommandsException.refused('WRONG_STORE', `the command is for ${envelope.tenantId}/${envelope.storeId}, this hub serves ${realm.tenantId}/${realm.storeId}`);
  }
  return envelope;
}

export function checkNotExpired(envelope: CommandEnvelope, now: number): void {
  if (Date.parse(envelope.expiresAt) <= now) throw CommandsException.refused('EXPIRED', `the command expired at ${envelope.expiresAt}`);
}

/** The payload against its type's schema; the issues name each bad field (`payload.items[0].priceCents`). */
export function checkPayload(envelope: CommandEnvelope): Record<string, unknown> {
  const checked = validateCommandPayload(envelope.type, envelope.payload);
  if (!checked.ok) throw CommandsException.invalidPayload(checked.issues);
  return checked.value;
}

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
