import { z } from 'zod';
import { idSchema, isoDateTimeSchema, jsonObjectSchema, nonNegativeInt32Schema, positiveInt32Schema, uuidSchema } from '../common/primitives.js';
import { validate, type ValidationResult } from '../validation/validate.js';
import { COMMAND_PAYLOAD_SCHEMAS } from './command-payloads.js';
import { COMMAND_DOMAIN, COMMAND_TYPES, SYNC_DOMAINS, isSnapshotCommandType, type CommandType, type SyncDomain } from './command-types.js';

/**
 * The command envelope of SYSTEM.md 4.5. `signature` is Ed25519 (base64url) over the RFC 8785
 * canonical JSON of every other field, `keyId` included. `baseRevision` is the revision the command
 * builds on; snapshots replace the whole domain and carry `null`.
 */
const envelopeShape = z.object({
  commandId: uuidSchema,
  tenantId: idSchema,
  storeId: idSchema,
  seq: positiveInt32Schema,
  domain: z.enum(SYNC_DOMAINS),
  type: z.enum(COMMAND_TYPES),
  revision: positiveInt32Schema,
  baseRevision: nonNegativeInt32Schema.nullable(),
  payload: jsonObjectSchema,
  issuedAt: isoDateTimeSchema,
  expiresAt: isoDateTimeSchema,
  keyId: z.string().min(1).max(128),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'must be a base64url Ed25519 signature'),
});

export type CommandEnvelope = z.infer<typeof envelopeShape> & { domain: SyncDomain; type: CommandType };
export type UnsignedCommandEnvelope = Omit<CommandEnvelope, 'signature'>;

/** The envelope's structure only, before its signature is checked (a signature is over the raw fields). */
export const commandEnvelopeShapeSchema = envelopeShape;

/** Structure and semantics: domain matches type, base revision fits the type, payload fits the type. */
export const commandEnvelopeSchema = envelopeShape.superRefine((cmd, ctx) => {
  if (COMMAND_DOMAIN[cmd.type] !== cmd.domain) {
    ctx.addIssue({ code: 'custom', path: ['domain'], message: `must be '${COMMAND_DOMAIN[cmd.type]}' for type '${cmd.type}'` });
  }
  if (isSnapshotCommandType(cmd.type) !== (cmd.baseRevision === null)) {
    ctx.addIssue({
      code: 'custom',
      path: ['baseRevision'],
      message: isSnapshotCommandType(cmd.type) ? 'must be null for a snapshot' : 'must be a revision number for a patch',
    });
  }
  if (cmd.baseRevision !== null && cmd.baseRevision >= cmd.revision) {
    ctx.addIssue({ code: 'custom', path: ['baseRevision'], message: 'must be lower than revision' });
  }
  if (Date.parse(cmd.expiresAt) <= Date.parse(cmd.issuedAt)) {
    ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be after issuedAt' });
  }
});

export function validateCommandPayload(type: CommandType, payload: unknown): ValidationResult<Record<string, unknown>> {
  return validate(COMMAND_PAYLOAD_SCHEMAS[type], payload, 'payload');
}
