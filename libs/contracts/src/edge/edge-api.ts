import { z } from 'zod';
import { idSchema, isoDateTimeSchema, nonNegativeIntSchema } from '../common/primitives.js';
import { SYNC_DOMAINS, type SyncDomain } from '../commands/command-types.js';
import type { PublicDomainState } from '../domains/registry.js';
import type { AppliedRevisions } from '../nodes/node-api.js';
import type { StoredEvent } from '../events/event-base.js';
import type { MenuItem } from '../state/menu.js';
import type { StoreRole } from '../state/roles.js';
import type { SettingsValues } from '../state/settings.js';
import type { PublicStoreUser } from '../state/users.js';

/** What the store agent and the edge exchange (SYSTEM.md section 6, edge routes). */

export interface ApplyCommandResponse {
  commandId: string;
  appliedRevision: number;
  /** True when this command had been applied before: the earlier result is returned, nothing re-applied. */
  alreadyApplied: boolean;
}

export interface RevisionConflictBody {
  statusCode: 409;
  code: 'REVISION_CONFLICT';
  message: string;
  currentRevision: number;
}

export const outboxQuerySchema = z.object({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(500),
});

export interface OutboxPage {
  events: StoredEvent[];
  nextCursor: number;
  hasMore: boolean;
  cloudCursor: number;
}

export const outboxCursorRequestSchema = z.object({ cursor: nonNegativeIntSchema });
export type OutboxCursorRequest = z.infer<typeof outboxCursorRequestSchema>;

/** `PUT /api/v1/outbox/cursor`: where the cloud cursor now is, and what is left to ship. */
export interface OutboxCursorResponse {
  cloudCursor: number;
  lastCloudSyncAt: string;
  outboxDepth: number;
}

export interface EdgeStatus {
  realm: { tenantId: string; storeId: string };
  hubId: string;
  softwareVersion: string;
  connectedDevices: number;
  devices: { deviceId: string; role: string; connectedAt: string }[];
  latestSeq: number;
  outboxDepth: number;
  cloudCursor: number;
  lastCloudSyncAt: string | null;
  appliedRevisions: AppliedRevisions;
}

export const stateChangedSchema = z.object({ domain: z.enum(SYNC_DOMAINS), revision: nonNegativeIntSchema });
export type StateChanged = z.infer<typeof stateChangedSchema>;

export const edgeRealmSchema = z.object({ tenantId: idSchema, storeId: idSchema });
export const edgeTimestampSchema = isoDateTimeSchema;

/**
 * `GET /api/v1/state/:domain`, for every registered domain: its applied revision and its state as
 * devices see it (the registry's public view). The older routes `GET /api/v1/settings`, `/menu`,
 * `/users` and `/roles` are aliases of it.
 */
export type EdgeDomainStateResponse<D extends SyncDomain = SyncDomain> = { revision: number } & PublicDomainState<D>;

/** The state routes' answers by domain, each with its applied revision. */
export interface SettingsStateResponse {
  revision: number;
  values: SettingsValues;
}

export interface MenuStateResponse {
  revision: number;
  items: MenuItem[];
}

/** Users as the hub serves them: whether a PIN is set, never the PIN or its hash. */
export interface UsersStateResponse {
  revision: number;
  users: PublicStoreUser[];
}

export interface RolesStateResponse {
  revision: number;
  roles: StoreRole[];
}

/** `GET /api/v1/audit?limit=&before=`: the hub's local audit trail, newest first. */
export const edgeAuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  before: z.coerce.number().int().min(1).optional(),
});
export type EdgeAuditQuery = z.infer<typeof edgeAuditQuerySchema>;

export interface EdgeAuditEntryDto {
  id: number;
  at: string;
  /** The `sub` of the caller's cluster token. */
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

export interface EdgeAuditPage {
  entries: EdgeAuditEntryDto[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
}

/** `PUT /api/v1/trust/signing-keys`: the cloud's command keys, signed with the cluster key. */
export const trustSigningKeysRequestSchema = z.object({ token: z.string().min(1).max(64_000) });
export type TrustSigningKeysRequest = z.infer<typeof trustSigningKeysRequestSchema>;

export interface TrustedSigningKeysResponse {
  keyIds: string[];
  /** `iat` of the token the keys came from; null before any. */
  iat: number | null;
  /** False when the token held the key set already trusted (same `iat`). */
  changed: boolean;
}

/** `PUT /api/v1/trust/revocations`: the store's revoked nodes, signed with the cluster key. */
export const trustRevocationsRequestSchema = z.object({ token: z.string().min(1).max(64_000) });
export type TrustRevocationsRequest = z.infer<typeof trustRevocationsRequestSchema>;

/** A cluster-token subject the hub refuses, and until when it remembers that. */
export interface RevokedTokenView {
  sub: string;
  revokedAt: string;
  /** No token for `sub` is valid after this, even with the offline grace: the entry is then dropped. */
  forgetAt: string;
  /** `cloud`: from a signed list; `self`: the agent reported its own revocation. */
  source: 'cloud' | 'self';
}

/** `PUT /api/v1/trust/revocations`, `GET` of the same, and `POST /api/v1/trust/revocations/self`. */
export interface TrustRevocationsResponse {
  /** Subjects this call newly revoked (empty when all were known already, or for a GET). */
  added: string[];
  revoked: RevokedTokenView[];
}

/** `POST /api/v1/events`: a cloud-side event appended (or found already stored, `duplicate`). */
export interface CloudEventAppendResponse {
  seq: number;
  duplicate: boolean;
}
