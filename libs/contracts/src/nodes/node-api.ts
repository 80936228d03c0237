import { z } from 'zod';
import { idSchema, isoDateTimeSchema, nonNegativeInt32Schema, nonNegativeIntSchema } from '../common/primitives.js';
import type { SyncDomain } from '../commands/command-types.js';
import type { CommandEnvelope } from '../commands/command-envelope.js';

/** What the store agent and the cloud exchange (SYSTEM.md section 6, node routes). */

export const publicKeySchema = z.object({ keyId: z.string().min(1).max(128), publicKey: z.string().min(1) });
export type PublicKeyInfo = z.infer<typeof publicKeySchema>;

export const keysResponseSchema = z.object({
  signingKeys: z.array(publicKeySchema).min(1),
  clusterPublicKey: z.string().min(1),
  /** The same signing keys, signed with the cluster key, for the agent to hand to its hub. */
  signingKeysToken: z.string().min(1),
});
export type KeysResponse = z.infer<typeof keysResponseSchema>;

export const registerNodeRequestSchema = z.object({
  bootstrapToken: z.string().min(16).max(256),
  hostname: z.string().trim().min(1).max(255),
  softwareVersion: z.string().trim().min(1).max(64),
});
export type RegisterNodeRequest = z.infer<typeof registerNodeRequestSchema>;

export const registerNodeResponseSchema = keysResponseSchema.extend({
  nodeId: idSchema,
  tenantId: idSchema,
  storeId: idSchema,
  accessToken: z.string().min(1),
  accessTokenExpiresAt: isoDateTimeSchema,
  /** Long-lived secret the node trades for new access tokens; shown once, stored hashed. */
  nodeSecret: z.string().min(16),
  /** A cluster token with role `agent`, for the agent's calls to its own hub. */
  agentToken: z.string().min(1),
});
export type RegisterNodeResponse = z.infer<typeof registerNodeResponseSchema>;

export const renewNodeTokenRequestSchema = z.object({ nodeId: idSchema, nodeSecret: z.string().min(16).max(256) });
export type RenewNodeTokenRequest = z.infer<typeof renewNodeTokenRequestSchema>;

export const renewNodeTokenResponseSchema = keysResponseSchema.extend({
  accessToken: z.string().min(1),
  accessTokenExpiresAt: isoDateTimeSchema,
  agentToken: z.string().min(1),
});
export type RenewNodeTokenResponse = z.infer<typeof renewNodeTokenResponseSchema>;

/** A domain's name as it travels: what the registry allows (lower case, at most 32 characters), known here or not. */
export const domainNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be a domain name: a lower-case letter, then up to 31 lower-case letters, digits or _');

/**
 * The revision applied of each domain the hub has. Partial, and open to names this version does
 * not know: during a rollout the agent and the hub may be older or newer than the cloud, so a
 * heartbeat lists the domains its hub has; the cloud records the ones it knows and ignores the
 * rest, and a domain missing from it is one the hub does not have (nothing is recorded for it).
 */
export const appliedRevisionsSchema = z
  // StoreDomainState.appliedRevision is an INT column.
  .record(domainNameSchema, nonNegativeInt32Schema)
  .refine((r) => Object.keys(r).length <= 64, 'must list at most 64 domains');
export type AppliedRevisions = Partial<Record<SyncDomain, number>>;

export const heartbeatRequestSchema = z.object({
  softwareVersion: z.string().trim().min(1).max(64),
  hostname: z.string().trim().min(1).max(255).optional(),
  appliedRevisions: appliedRevisionsSchema,
  /** Events committed at the hub and not yet durable in the cloud. */
  outboxDepth: nonNegativeInt32Schema,
  hubSeq: nonNegativeIntSchema,
  cloudCursor: nonNegativeIntSchema,
  edgeReachable: z.boolean(),
  lastCloudSyncAt: isoDateTimeSchema.nullable().optional(),
});
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

export const heartbeatResponseSchema = z.object({
  serverTime: isoDateTimeSchema,
  /**
   * The store's recently revoked nodes, signed with the cluster key (NodeRevocationsTokenClaims),
   * for the agent to hand to its hub (`PUT /api/v1/trust/revocations`); absent when there are none.
   */
  revocationsToken: z.string().min(1).optional(),
});
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;

/** Largest `wait` of a command long-poll, in seconds. */
export const MAX_COMMAND_POLL_WAIT_SECONDS = 30;

export const commandsPollQuerySchema = z.object({
  /** Seconds to hold the request open when nothing is deliverable (0: answer at once). */
  wait: z.coerce.number().min(0).max(MAX_COMMAND_POLL_WAIT_SECONDS).default(0),
});
export type CommandsPollQuery = z.infer<typeof commandsPollQuerySchema>;

/** `GET /api/v1/nodes/commands`: the signed envelopes delivered to this poll (possibly none). */
export interface CommandsPollResponse {
  commands: CommandEnvelope[];
}

/**
 * `POST /api/v1/commands/:commandId/ack`: the command's status once the ack is recorded. `changed`
 * is false when the ack repeated an earlier one or came after the command had moved on (a late
 * failure, or a success for a command a snapshot superseded): nothing to resend.
 */
export interface CommandAckResponse {
  commandId: string;
  status: 'PENDING' | 'DELIVERED' | 'ACKED' | 'FAILED' | 'DEAD_LETTER' | 'SUPERSEDED';
  changed: boolean;
}
