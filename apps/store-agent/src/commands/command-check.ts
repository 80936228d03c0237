import { commandEnvelopeSchema, validate, validateCommandPayload, type AckErrorCode, type CommandEnvelope } from '@app/contracts';
import { verifyCommandSignature, type CommandKeyring } from '@app/crypto';

export type CommandCheck = { ok: true; command: CommandEnvelope } | { ok: false; code: AckErrorCode; detail: string };

/** Ids that can be acked: a command whose id or seq cannot be read cannot be answered at all. */
export function ackableIdOf(raw: unknown): { commandId: string; seq: number | null } | null {
  if (!raw || typeof raw !== 'object') return null;
  const { commandId, seq } = raw as { commandId?: unknown; seq?: unknown };
  if (typeof commandId !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(commandId)) return null;
  return { commandId, seq: typeof seq === 'number' && Number.isInteger(seq) && seq > 0 ? seq : null };
}

/** Signature and key id, over the envelope exactly as received. */
export function checkSignature(raw: Record<string, unknown>, keyring: CommandKeyring): CommandCheck | { ok: true } {
  const signature = verifyCommandSignature(raw, keyring);
  return signature.ok ? { ok: true } : { ok: false, code: signature.code, detail: signature.message };
}

/**
 * What the agent checks once the signature holds, in this order: the store and tenant are this
 * node's, the envelope is well formed, it has not expired, its payload fits its type.
 */
export function checkTrustedCommand(raw: Record<string, unknown>, realm: { tenantId: string; storeId: string }, now: number): CommandCheck {
  if (raw.storeId !== realm.storeId || raw.tenantId !== realm.tenantId) {
    return { ok: false, code: 'WRONG_STORE', detail: `command is for store '${String(raw.storeId)}' of tenant '${String(raw.tenantId)}', this node serves store '${realm.storeId}' of tenant '${realm.tenantId}'` };
  }
  const parsed = validate(commandEnvelopeSchema, raw);
  if (!parsed.ok) return { ok: false, code: 'INVALID_PAYLOAD', detail: parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
  const command = parsed.value as CommandEnvelope;
  if (Date.parse(command.expiresAt) <= now) {
    return { ok: false, code: 'EXPIRED', detail: `command expired at ${command.expiresAt} (agent clock ${new Date(now).toISOString()})` };
  }
  const payload = validateCommandPayload(command.type, command.payload);
  if (!payload.ok) return { ok: false, code: 'INVALID_PAYLOAD', detail: payload.issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
  return { ok: true, command };
}
