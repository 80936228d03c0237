import {
  SYNC_DOMAINS,
  commandEnvelopeSchema,
  isCommandType,
  isSyncDomain,
  validate,
  validateCommandPayload,
  type CommandEnvelope,
  type ValidationIssue,
} from '@app/contracts';
import { verifyCommandSignature, type CommandKeyring } from '@app/crypto';

/** The final codes an envelope is refused with (SYSTEM.md 4.5): retrying the same envelope cannot help. */
export type EnvelopeRefusalCode = 'SIGNATURE_INVALID' | 'UNKNOWN_KEY' | 'UNKNOWN_DOMAIN' | 'WRONG_STORE' | 'EXPIRED' | 'INVALID_PAYLOAD';

export interface EnvelopeRefusal {
  ok: false;
  code: EnvelopeRefusalCode;
  /** One line for logs and the ack's errorDetail; `issues` name each bad field for INVALID_PAYLOAD. */
  message: string;
  issues: ValidationIssue[];
}

/** The envelope can be applied: its payload is the parsed value of its type's schema. */
export interface EnvelopeToApply {
  ok: true;
  envelope: CommandEnvelope;
  payload: Record<string, unknown>;
  earlier: null;
}

/** The envelope was applied before (the caller's own record says so): answer with that result, never apply it again. */
export interface EnvelopeReplayed<E> {
  ok: true;
  envelope: CommandEnvelope;
  payload: null;
  earlier: E;
}

export type EnvelopeCheck<E> = EnvelopeToApply | EnvelopeReplayed<E> | EnvelopeRefusal;

export interface EnvelopeCheckContext<E> {
  keyring: CommandKeyring;
  /** The tenant and store this process serves. */
  realm: { tenantId: string; storeId: string };
  now: number;
  /** The caller's record of an earlier application of this command (by id, or by seq), if any. */
  earlierResultOf?: (envelope: CommandEnvelope) => E | null;
}

/**
 * The one check of a signed command envelope, shared by the store agent and the hub so the same
 * envelope gets the same answer from both. In this order:
 *  1. a JSON object (INVALID_PAYLOAD);
 *  2. the signature over the envelope exactly as received, and a trusted key id (SIGNATURE_INVALID,
 *     UNKNOWN_KEY): anything added, removed or changed after signing fails here;
 *  3. a domain and command type this version has (UNKNOWN_DOMAIN: a newer cloud sent a domain
 *     added after this version; final, so it never blocks the loop);
 *  4. the envelope's structure (INVALID_PAYLOAD, naming each field);
 *  5. this store of this tenant (WRONG_STORE);
 *  6. an earlier application, which answers a replay with its result, even once expired;
 *  7. the expiry (EXPIRED);
 *  8. the payload against its type's schema (INVALID_PAYLOAD, `payload.items[0].priceCents`).
 * Pure but for the caller's lookup in step 6.
 */
export function checkCommandEnvelope<E>(raw: unknown, context: EnvelopeCheckContext<E>): EnvelopeCheck<E> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return invalid([{ path: '', code: 'invalid_type', message: 'must be a signed command envelope (a JSON object)' }]);
  }
  const signature = verifyCommandSignature(raw as Record<string, unknown>, context.keyring);
  if (!signature.ok) return refusal(signature.code, signature.message);
  const unknown = unknownDomainOf(raw as Record<string, unknown>);
  if (unknown) return refusal('UNKNOWN_DOMAIN', unknown);
  const parsed = validate(commandEnvelopeSchema, raw);
  if (!parsed.ok) return invalid(parsed.issues);
  const envelope = parsed.value as CommandEnvelope;
  const { realm } = context;
  if (envelope.tenantId !== realm.tenantId || envelope.storeId !== realm.storeId) {
    return refusal(
      'WRONG_STORE',
      `the command is for store '${envelope.storeId}' of tenant '${envelope.tenantId}', this node serves store '${realm.storeId}' of tenant ` +
        `'${realm.tenantId}'`,
    );
  }
  const earlier = context.earlierResultOf?.(envelope) ?? null;
  if (earlier !== null) return { ok: true, envelope, payload: null, earlier };
  if (Date.parse(envelope.expiresAt) <= context.now) {
    return refusal('EXPIRED', `the command expired at ${envelope.expiresAt} (clock here ${new Date(context.now).toISOString()})`);
  }
  const payload = validateCommandPayload(envelope.type, envelope.payload);
  if (!payload.ok) return invalid(payload.issues);
  return { ok: true, envelope, payload: payload.value, earlier: null };
}

/** Why this version cannot apply the envelope's domain or type, when they are names it does not have. */
function unknownDomainOf(raw: Record<string, unknown>): string | null {
  const { domain, type } = raw;
  const unknownDomain = typeof domain === 'string' && !isSyncDomain(domain);
  const unknownType = typeof type === 'string' && !isCommandType(type);
  if (!unknownDomain && !unknownType) return null;
  const what = unknownDomain ? `the domain '${domain.slice(0, 64)}'` : `the command type '${String(type).slice(0, 64)}'`;
  return `this version does not know ${what}: it has the domains ${SYNC_DOMAINS.join(', ')}; the command applies once the store runs a version that has it`;
}

function refusal(code: EnvelopeRefusalCode, message: string): EnvelopeRefusal {
  return { ok: false, code, message, issues: [] };
}

function invalid(issues: readonly ValidationIssue[]): EnvelopeRefusal {
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return { ok: false, code: 'INVALID_PAYLOAD', message: `the command is invalid: ${summary}`, issues: [...issues] };
}
