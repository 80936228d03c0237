import { z } from 'zod';
import { describes } from '../common/describes.js';
import { idSchema, isoDateTimeSchema, nonNegativeIntSchema, uuidSchema } from '../common/primitives.js';
import { COMMAND_TYPES, SYNC_DOMAINS, type SyncDomain } from '../commands/command-types.js';
import {
  COMMAND_STATUS_NAMES,
  OPERATOR_ROLES,
  PROJECTION_SKIP_REASONS,
  type AuditEntryView,
  type AuditListResponse,
  type BlockingDeadLetterView,
  type BootstrapTokenResponse,
  type BulkRetryResponse,
  type CommandDetailView,
  type CommandListResponse,
  type CommandLogView,
  type CommandView,
  type DeviceTokenResponse,
  type DomainRevisionView,
  type DomainStateResponse,
  type FleetResponse,
  type FleetStoreView,
  type LatestRevisionsResponse,
  type LoginResponse,
  type OperatorView,
  type ProjectionDeadLetterView,
  type ProjectionDeadLettersPage,
  type PublishFleetRevisionResponse,
  type PublishRevisionResponse,
  type SalesDayView,
  type SalesResponse,
  type StoreNodeView,
  type StoreNodesResponse,
} from './operator-api.js';

/*
 * The answers of the operator routes as zod schemas: what the OpenAPI document publishes. Each one
 * is checked at compile time against the type in operator-api.ts that the services return
 * (`describes`), so the document cannot drift from the code.
 */

const nullableDateTime = isoDateTimeSchema.nullable();

/** One entry per sync domain, every domain present. */
const perDomain = <S extends z.ZodType>(schema: S) => z.object(Object.fromEntries(SYNC_DOMAINS.map((d) => [d, schema])) as Record<SyncDomain, S>);

const actorTypeSchema = z.enum(['OPERATOR', 'NODE', 'SYSTEM']);

export const operatorViewSchema = describes<OperatorView>()(
  z.object({ id: idSchema, email: z.string(), displayName: z.string(), role: z.enum(OPERATOR_ROLES), tenantId: idSchema, tenantSlug: z.string() }),
);

export const loginResponseSchema = describes<LoginResponse>()(
  z.object({
    accessToken: z.string().meta({ description: 'Bearer token for the operator routes' }),
    expiresAt: isoDateTimeSchema,
    operator: operatorViewSchema,
  }),
);

export const domainRevisionViewSchema = describes<DomainRevisionView>()(
  z.object({
    desiredRevision: nonNegativeIntSchema.meta({ description: 'The latest published revision (0: never published)' }),
    appliedRevision: nonNegativeIntSchema.meta({ description: 'The revision the store reported applied, by ack or heartbeat (0: none)' }),
    appliedAt: nullableDateTime,
    drift: z.boolean().meta({ description: 'Desired and applied differ' }),
  }),
);

export const storeNodeViewSchema = describes<StoreNodeView>()(
  z.object({
    id: idSchema,
    hostname: z.string(),
    softwareVersion: z.string(),
    status: z.enum(['ACTIVE', 'REVOKED']),
    registeredAt: isoDateTimeSchema,
    lastSeenAt: nullableDateTime,
    revokedAt: nullableDateTime,
    revokedReason: z.string().nullable(),
  }),
);

export const fleetStoreViewSchema = describes<FleetStoreView>()(
  z.object({
    id: idSchema,
    tenantId: idSchema,
    code: z.string(),
    name: z.string(),
    timezone: z.string().meta({ description: 'IANA time zone' }),
    createdAt: isoDateTimeSchema,
    online: z.boolean().meta({ description: 'A heartbeat arrived within offlineAfterSeconds' }),
    lastHeartbeatAt: nullableDateTime,
    softwareVersion: z.string().nullable(),
    node: storeNodeViewSchema.nullable().meta({ description: "The store's active node, if one is registered" }),
    domains: perDomain(domainRevisionViewSchema),
    commands: z.object({ pending: nonNegativeIntSchema, failed: nonNegativeIntSchema, deadLettered: nonNegativeIntSchema }),
    outboxDepth: nonNegativeIntSchema.nullable().meta({ description: 'Events at the hub not yet durable in the cloud, from the last heartbeat' }),
    syncLagSeconds: nonNegativeIntSchema.nullable().meta({ description: "Seconds since the store's last successful upload (null: never)" }),
    edgeReachable: z.boolean().nullable(),
  }),
);

export const fleetResponseSchema = describes<FleetResponse>()(
  z.object({ stores: z.array(fleetStoreViewSchema), offlineAfterSeconds: nonNegativeIntSchema, generatedAt: isoDateTimeSchema }),
);

export const storeNodesResponseSchema = describes<StoreNodesResponse>()(z.object({ nodes: z.array(storeNodeViewSchema) }));

export const bootstrapTokenResponseSchema = describes<BootstrapTokenResponse>()(
  z.object({ token: z.string().meta({ description: 'One-time token, shown once' }), expiresAt: isoDateTimeSchema }),
);

export const publishRevisionResponseSchema = describes<PublishRevisionResponse>()(z.object({ revision: nonNegativeIntSchema, commandId: uuidSchema }));

export const publishFleetRevisionResponseSchema = describes<PublishFleetRevisionResponse>()(
  z.object({ revisions: z.array(publishRevisionResponseSchema.extend({ storeId: idSchema })) }),
);

export const latestRevisionsResponseSchema = describes<LatestRevisionsResponse>()(
  z.object({
    storeId: idSchema,
    domains: perDomain(
      domainRevisionViewSchema.extend({
        publishedAt: nullableDateTime,
        publishedBy: z.string().nullable().meta({ description: 'Email of the operator who published it' }),
      }),
    ),
  }),
);

export const domainStateResponseSchema = describes<DomainStateResponse>()(
  z.object({
    storeId: idSchema,
    domain: z.enum(SYNC_DOMAINS),
    revision: nonNegativeIntSchema.meta({ description: 'Send it back as ifMatchRevision' }),
    state: z.record(z.string(), z.unknown()).meta({ description: 'The whole desired state of the domain (PIN hashes left out)' }),
    publishedAt: nullableDateTime,
    publishedBy: z.string().nullable().meta({ description: 'Email of the operator who published it' }),
  }),
);

const commandStatusSchema = z.enum(COMMAND_STATUS_NAMES);

export const blockingDeadLetterViewSchema = describes<BlockingDeadLetterView>()(
  z.object({ commandId: uuidSchema, seq: nonNegativeIntSchema, errorCode: z.string().nullable().meta({ description: "The dead letter's ack error code" }) }),
);

export const commandViewSchema = describes<CommandView>()(
  z.object({
    commandId: uuidSchema,
    storeId: idSchema,
    storeCode: z.string(),
    seq: nonNegativeIntSchema,
    domain: z.enum(SYNC_DOMAINS),
    type: z.string().meta({ description: `One of ${COMMAND_TYPES.join(', ')}` }),
    revision: nonNegativeIntSchema,
    baseRevision: nonNegativeIntSchema.nullable(),
    status: commandStatusSchema,
    attempts: nonNegativeIntSchema,
    maxAttempts: nonNegativeIntSchema,
    createdAt: isoDateTimeSchema,
    deliveredAt: nullableDateTime,
    ackedAt: nullableDateTime,
    nextAttemptAt: nullableDateTime.meta({ description: 'When a FAILED command becomes deliverable again' }),
    appliedRevision: nonNegativeIntSchema.nullable(),
    lastErrorCode: z.string().nullable().meta({ description: 'An ack error code, or ACK_TIMEOUT' }),
    lastErrorDetail: z.string().nullable(),
    expiresAt: isoDateTimeSchema,
    blockedBy: blockingDeadLetterViewSchema.nullable().meta({
      description:
        'Why a PENDING command waits: the dead-lettered command ahead of it in its domain, until the next publish or reconciliation ' +
        'supersedes it (or support retries it)',
    }),
  }),
);

export const commandLogViewSchema = describes<CommandLogView>()(
  z.object({
    id: nonNegativeIntSchema,
    at: isoDateTimeSchema,
    fromStatus: commandStatusSchema.nullable(),
    toStatus: commandStatusSchema,
    event: z.string(),
    attempt: nonNegativeIntSchema,
    errorCode: z.string().nullable(),
    errorDetail: z.string().nullable(),
    actorType: actorTypeSchema,
    actorId: z.string().nullable(),
    actorLabel: z.string().nullable().meta({ description: "The operator's email when the actor is an operator of the tenant (as in the audit log)" }),
  }),
);

export const commandDetailViewSchema = describes<CommandDetailView>()(
  commandViewSchema.extend({ payload: z.record(z.string(), z.unknown()), logs: z.array(commandLogViewSchema) }),
);

export const commandListResponseSchema = describes<CommandListResponse>()(
  z.object({
    commands: z.array(commandViewSchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as cursor for the next page (null: last page)' }),
  }),
);

export const bulkRetryResponseSchema = describes<BulkRetryResponse>()(
  z.object({ retried: z.array(commandViewSchema), skipped: z.array(z.object({ commandId: z.string(), code: z.string(), message: z.string() })) }),
);

export const deviceTokenResponseSchema = describes<DeviceTokenResponse>()(
  z.object({ token: z.string().meta({ description: 'Cluster token (ES256, role device) for the hub' }), expiresAt: isoDateTimeSchema }),
);

export const salesDayViewSchema = describes<SalesDayView>()(z.object({ day: z.iso.date(), orders: nonNegativeIntSchema, salesCents: z.number().int() }));

export const salesResponseSchema = describes<SalesResponse>()(
  z.object({
    storeId: idSchema,
    currency: z
      .string()
      .nullable()
      .meta({ description: "ISO 4217 code of the amounts: the store's store.currency setting as last published; null when unset or not a currency code" }),
    days: z.array(salesDayViewSchema),
  }),
);

export const projectionDeadLetterViewSchema = describes<ProjectionDeadLetterView>()(
  z.object({
    projection: z.string().meta({ description: 'The projection that skipped the event: sales' }),
    cloudSeq: nonNegativeIntSchema,
    eventId: z.string(),
    eventType: z.string(),
    reason: z.enum(PROJECTION_SKIP_REASONS).meta({
      description: 'invalid_time: its time is no instant (e.g. stored as 0000-00-00); invalid_amount: an order.paid totalCents that is no non-negative integer',
    }),
    detail: z.string(),
    recordedAt: isoDateTimeSchema,
  }),
);

export const projectionDeadLettersPageSchema = describes<ProjectionDeadLettersPage>()(
  z.object({
    storeId: idSchema,
    total: nonNegativeIntSchema.meta({ description: "Every event the store's projections skipped, not only this page" }),
    deadLetters: z.array(projectionDeadLetterViewSchema),
    nextCursor: nonNegativeIntSchema.nullable().meta({ description: 'Pass as after for the next page (null: last page)' }),
  }),
);

export const auditEntryViewSchema = describes<AuditEntryView>()(
  z.object({
    id: nonNegativeIntSchema,
    at: isoDateTimeSchema,
    storeId: idSchema.nullable(),
    actorType: actorTypeSchema,
    actorId: z.string().nullable(),
    actorLabel: z.string().nullable().meta({ description: "The operator's email when the actor is an operator" }),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  }),
);

export const auditListResponseSchema = describes<AuditListResponse>()(z.object({ entries: z.array(auditEntryViewSchema), nextCursor: z.string().nullable() }));
