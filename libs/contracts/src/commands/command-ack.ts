import { z } from 'zod';
import { isoDateTimeSchema, positiveInt32Schema, uuidSchema } from '../common/primitives.js';

/**
 * Final: the command can never succeed as sent; it goes to DEAD_LETTER at once. PAYLOAD_TOO_LARGE:
 * the hub refused the envelope for its size (413); the same bytes never fit on another try.
 * UNKNOWN_DOMAIN: the agent or the hub runs a version without the command's domain (a rollout in
 * progress); it applies once the store runs a version that has it, through a retry or the next
 * publish.
 */
export const FINAL_ACK_ERROR_CODES = [
  'SIGNATURE_INVALID',
  'UNKNOWN_KEY',
  'WRONG_STORE',
  'EXPIRED',
  'INVALID_PAYLOAD',
  'PAYLOAD_TOO_LARGE',
  'UNKNOWN_DOMAIN',
] as const;
/** Retryable: backoff, then DEAD_LETTER after the last attempt. */
export const RETRYABLE_ACK_ERROR_CODES = ['REVISION_CONFLICT', 'EDGE_UNAVAILABLE', 'INTERNAL'] as const;
export const ACK_ERROR_CODES = [...FINAL_ACK_ERROR_CODES, ...RETRYABLE_ACK_ERROR_CODES] as const;
export type AckErrorCode = (typeof ACK_ERROR_CODES)[number];

export function isRetryableAckError(code: AckErrorCode): boolean {
  return (RETRYABLE_ACK_ERROR_CODES as readonly string[]).includes(code);
}

export const ACK_STATUSES = ['ACKED', 'FAILED'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

/** The agent's execution result (seed 003 section 7). */
export const commandAckSchema = z
  .object({
    commandId: uuidSchema,
    status: z.enum(ACK_STATUSES),
    appliedRevision: positiveInt32Schema.nullable().optional(),
    errorCode: z.enum(ACK_ERROR_CODES).nullable().optional(),
    errorDetail: z.string().max(4_000).nullable().optional(),
    appliedAt: isoDateTimeSchema,
  })
  .superRefine((ack, ctx) => {
    if (ack.status === 'ACKED' && (ack.appliedRevision === null || ack.appliedRevision === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['appliedRevision'], message: 'is required when status is ACKED' });
    }
    if (ack.status === 'ACKED' && ack.errorCode) {
      ctx.addIssue({ code: 'custom', path: ['errorCode'], message: 'must be empty when status is ACKED' });
    }
    if (ack.status === 'FAILED' && !ack.errorCode) {
      ctx.addIssue({ code: 'custom', path: ['errorCode'], message: 'is required when status is FAILED' });
    }
  });
export type CommandAck = z.infer<typeof commandAckSchema>;
