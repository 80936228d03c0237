import { z } from 'zod';
import { idSchema, isoDateTimeSchema, nonNegativeIntSchema } from '../common/primitives.js';
import type { AppliedRevisions } from '../nodes/node-api.js';
import type { StoredEvent } from '../events/event-base.js';

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

export const stateChangedSchema = z.object({ domain: z.enum(['settings', 'menu', 'users', 'roles']), revision: nonNegativeIntSchema });
export type StateChanged = z.infer<typeof stateChangedSchema>;

export const edgeRealmSchema = z.object({ tenantId: idSchema, storeId: idSchema });
export const edgeTimestampSchema = isoDateTimeSchema;
