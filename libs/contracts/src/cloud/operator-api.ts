import { z } from 'zod';
import { idSchema, INT32_MAX, isoDateTimeSchema, jsonObjectSchema, uuidSchema } from '../common/primitives.js';
import { SYNC_DOMAINS, type SyncDomain } from '../commands/command-types.js';
import type { AckErrorCode } from '../commands/command-ack.js';
import { MAX_USERS, storeUserSchema } from '../state/users.js';

/** What the backoffice and the cloud exchange (SYSTEM.md 4.4 and section 6, operator routes). */

import { OPERATOR_ROLES, type OperatorRoleName } from '../common/operator-roles.js';

export { OPERATOR_ROLES, type OperatorRoleName };

export const loginRequestSchema = z.object({
  email: z.email('must be an email address').max(254),
  password: z.string().min(1, 'is required').max(200),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export interface OperatorView {
  id: string;
  email: string;
  displayName: string;
  role: OperatorRoleName;
  tenantId: string;
  tenantSlug: string;
}

export interface LoginResponse {
  accessToken: string;
  expiresAt: string;
  operator: OperatorView;
}

export const storeCodeSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, _ or - (starting with a letter or digit)');

export const createStoreRequestSchema = z.object({
  code: storeCodeSchema,
  name: z.string().trim().min(1, 'is required').max(200),
  timezone: z.string().trim().min(1).max(64).optional(),
});
export type CreateStoreRequest = z.infer<typeof createStoreRequestSchema>;

export interface DomainRevisionView {
  /** The latest published revision (0: never published). */
  desiredRevision: number;
  /** The revision the store reported applied, by ack or heartbeat (0: none). */
  appliedRevision: number;
  appliedAt: string | null;
  /** Desired and applied differ. */
  drift: boolean;
}

export interface StoreNodeView {
  id: string;
  hostname: string;
  softwareVersion: string;
  status: 'ACTIVE' | 'REVOKED';
  registeredAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
}

/** One row of the fleet view (SYSTEM.md 4.4). */
export interface FleetStoreView {
  id: string;
  tenantId: string;
  code: string;
  name: string;
  timezone: string;
  createdAt: string;
  /** A heartbeat arrived recently (see `offlineAfterSeconds`). */
  online: boolean;
  lastHeartbeatAt: string | null;
  softwareVersion: string | null;
  /** The store's active node, if one is registered. */
  node: StoreNodeView | null;
  domains: Record<SyncDomain, DomainRevisionView>;
  commands: { pending: number; failed: number; deadLettered: number };
  /** Events at the hub not yet durable in the cloud, from the last heartbeat. */
  outboxDepth: number | null;
  /** Seconds since the store's last successful upload (null: never). */
  syncLagSeconds: number | null;
  edgeReachable: boolean | null;
}

export interface FleetResponse {
  stores: FleetStoreView[];
  offlineAfterSeconds: number;
  generatedAt: string;
}

export interface StoreNodesResponse {
  /** The store's nodes, newest registration first (the active one, then those it replaced). */
  nodes: StoreNodeView[];
}

export const bootstrapTokenRequestSchema = z.object({
  /** How long the token may be used; default 24 h, at most 7 days. */
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .optional(),
});

export interface BootstrapTokenResponse {
  token: string;
  expiresAt: string;
}

export const revokeNodeRequestSchema = z.object({ reason: z.string().trim().min(1, 'is required').max(500) });

/**
 * A till user as an operator publishes it: a new PIN in clear, which the cloud hashes before it
 * goes anywhere, never a hash. A user sent without `pin` keeps the PIN it has.
 */
export const publishedUserSchema = storeUserSchema
  .omit({ pinHash: true })
  .extend({
    pin: z
      .string()
      .regex(/^\d{4,8}$/, 'must be 4 to 8 digits')
      .optional(),
  })
  .strict();
export const publishUsersPayloadSchema = z
  .object({ users: z.array(publishedUserSchema).min(1, 'must hold at least one user').max(MAX_USERS) })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.users.forEach((u, index) => {
      if (seen.has(u.userId)) ctx.addIssue({ code: 'custom', path: ['users', index], message: `duplicate userId '${u.userId}'` });
      seen.add(u.userId);
    });
  });
export type PublishUsersPayload = z.infer<typeof publishUsersPayloadSchema>;

export const publishRevisionRequestSchema = z.object({
  domain: z.enum(SYNC_DOMAINS),
  /** The patch payload of the domain's command type (MENU_UPSERT_BATCH for menu, ...). */
  payload: jsonObjectSchema,
  /** The revision the operator edited; 409 when another revision was published since. */
  ifMatchRevision: z.number().int().min(0).max(INT32_MAX).optional(),
});
export type PublishRevisionRequest = z.infer<typeof publishRevisionRequestSchema>;

export interface PublishRevisionResponse {
  revision: number;
  commandId: string;
}

/** Most stores one fleet publish reaches (one transaction: all of them get the revision, or none). */
export const MAX_FLEET_PUBLISH_STORES = 2_000;

/**
 * `POST /api/v1/revisions`: the same change published to many stores at once (a chain-wide menu
 * update). Each store gets its own revision on top of its own current state.
 */
export const publishFleetRevisionRequestSchema = z.object({
  storeIds: z
    .array(idSchema)
    .min(1, 'must name at least one store')
    .max(MAX_FLEET_PUBLISH_STORES)
    .refine((ids) => new Set(ids).size === ids.length, 'must not name a store twice'),
  domain: z.enum(SYNC_DOMAINS),
  payload: jsonObjectSchema,
});
export type PublishFleetRevisionRequest = z.infer<typeof publishFleetRevisionRequestSchema>;

export interface PublishFleetRevisionResponse {
  revisions: (PublishRevisionResponse & { storeId: string })[];
}

/** 409 body when `ifMatchRevision` is stale. */
export interface StaleRevisionBody {
  statusCode: 409;
  code: 'REVISION_CONFLICT';
  message: string;
  details: { currentRevision: number };
}

export interface LatestRevisionsResponse {
  storeId: string;
  domains: Record<SyncDomain, DomainRevisionView & { publishedAt: string | null; publishedBy: string | null }>;
}

/** The desired state of one domain: what the editors load. */
export interface DomainStateResponse {
  storeId: string;
  domain: SyncDomain;
  revision: number;
  state: Record<string, unknown>;
  publishedAt: string | null;
  publishedBy: string | null;
}

export const COMMAND_STATUS_NAMES = ['PENDING', 'DELIVERED', 'ACKED', 'FAILED', 'DEAD_LETTER', 'SUPERSEDED'] as const;
export type CommandStatusName = (typeof COMMAND_STATUS_NAMES)[number];

export const commandListQuerySchema = z.object({
  status: z.enum(COMMAND_STATUS_NAMES).optional(),
  storeId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
});

export interface CommandView {
  commandId: string;
  storeId: string;
  storeCode: string;
  seq: number;
  domain: SyncDomain;
  type: string;
  revision: number;
  baseRevision: number | null;
  status: CommandStatusName;
  attempts: number;
  maxAttempts: number;
  createdAt: string;
  deliveredAt: string | null;
  ackedAt: string | null;
  /** When a FAILED command becomes deliverable again. */
  nextAttemptAt: string | null;
  appliedRevision: number | null;
  lastErrorCode: AckErrorCode | 'ACK_TIMEOUT' | string | null;
  lastErrorDetail: string | null;
  expiresAt: string;
  /**
   * Why a PENDING command is not delivered: the dead-lettered command ahead of it in its domain (a
   * later revision never overtakes an earlier one). The next publish of the domain, or
   * reconciliation, supersedes that dead letter; support may also retry it. Null otherwise.
   */
  blockedBy: BlockingDeadLetterView | null;
}

export interface BlockingDeadLetterView {
  commandId: string;
  seq: number;
  errorCode: string | null;
}

export interface CommandLogView {
  id: number;
  at: string;
  fromStatus: CommandStatusName | null;
  toStatus: CommandStatusName;
  event: string;
  attempt: number;
  errorCode: string | null;
  errorDetail: string | null;
  actorType: 'OPERATOR' | 'NODE' | 'SYSTEM';
  actorId: string | null;
  /** The operator's email when the actor is an operator of the tenant (as in the audit log). */
  actorLabel: string | null;
}

export interface CommandDetailView extends CommandView {
  payload: Record<string, unknown>;
  logs: CommandLogView[];
}

export interface CommandListResponse {
  commands: CommandView[];
  nextCursor: string | null;
}

export const retryCommandRequestSchema = z.object({ reason: z.string().trim().max(500).optional() });

export const bulkRetryRequestSchema = z.object({
  commandIds: z.array(uuidSchema).min(1, 'must name at least one command').max(500),
  reason: z.string().trim().max(500).optional(),
});

export interface BulkRetryResponse {
  retried: CommandView[];
  skipped: { commandId: string; code: string; message: string }[];
}

export const deviceTokenRequestSchema = z.object({
  deviceId: idSchema,
  /** Default 12 h, at most 30 days. */
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .optional(),
});

export interface DeviceTokenResponse {
  token: string;
  expiresAt: string;
}

export const eventsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
});

export const salesQuerySchema = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

export interface SalesDayView {
  day: string;
  orders: number;
  salesCents: number;
}

/** Why a projection could not count an event: a time that is no instant, or an order.paid amount that is no non-negative integer. */
export const PROJECTION_SKIP_REASONS = ['invalid_time', 'invalid_amount'] as const;
export type ProjectionSkipReason = (typeof PROJECTION_SKIP_REASONS)[number];

export const projectionDeadLettersQuerySchema = z.object({
  /** cloudSeq of the last entry of the previous page (nextCursor). */
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** An ingested event a projection skipped, for support: which one, and why. */
export interface ProjectionDeadLetterView {
  projection: string;
  cloudSeq: number;
  eventId: string;
  eventType: string;
  reason: ProjectionSkipReason;
  detail: string;
  recordedAt: string;
}

export interface ProjectionDeadLettersPage {
  storeId: string;
  /** Every event the store's projections skipped, not only this page's. */
  total: number;
  deadLetters: ProjectionDeadLetterView[];
  nextCursor: number | null;
}

export interface SalesResponse {
  storeId: string;
  /**
   * The ISO 4217 code the amounts are in: the store's `store.currency` setting as last published
   * (STORE_CURRENCY_SETTING); null when the store has none, or one that is not a currency code.
   */
  currency: string | null;
  days: SalesDayView[];
}

export const auditQuerySchema = z.object({
  storeId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export interface AuditEntryView {
  id: number;
  at: string;
  storeId: string | null;
  actorType: 'OPERATOR' | 'NODE' | 'SYSTEM';
  actorId: string | null;
  /** The operator's email when the actor is an operator. */
  actorLabel: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditListResponse {
  entries: AuditEntryView[];
  nextCursor: string | null;
}

export const cloudEventRequestSchema = z.object({ events: z.array(z.unknown()).min(1).max(500) });
export const isoTimestampSchema = isoDateTimeSchema;
