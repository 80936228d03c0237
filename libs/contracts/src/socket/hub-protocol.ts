import { z } from 'zod';
import { idSchema, nonNegativeIntSchema } from '../common/primitives.js';
import type { StoredEvent } from '../events/event-base.js';

/** The Socket.IO protocol between devices and the hub (SYSTEM.md 4.2). */
export const HUB_EVENTS = {
  hello: 'hello',
  helloAck: 'hello.ack',
  eventsBulk: 'events.bulk',
  eventsAppend: 'events.append',
  eventsRelay: 'events.relay',
  cursorRequest: 'cursor.request',
  stateChanged: 'state.changed',
  /** Hub to client: a message that carried no ack callback was refused (`{code, message}`). */
  error: 'hub.error',
} as const;

/** Largest catch-up page the hub sends in one `events.bulk`. */
export const EVENTS_BULK_PAGE_SIZE = 1000;

export const helloSchema = z.object({
  deviceId: idSchema,
  tenantId: idSchema,
  storeId: idSchema,
  cursor: nonNegativeIntSchema,
});
export type Hello = z.infer<typeof helloSchema>;

export interface HelloAck {
  leaderId: string;
  /**
   * The hub cannot continue this device's cursor: its log is behind it (another or a restored
   * hub), or it pruned the events after it. With `prunedThrough` 0 the device replays the log from
   * the start; otherwise it reloads the read models and domains over HTTP and goes on after `cursor`.
   */
  snapshotNeeded: boolean;
  cursor: number;
  lamport: number;
  /** The log was pruned up to this seq once the cloud had it (0, or absent from older hubs: never). */
  prunedThrough?: number;
}

export const cursorRequestSchema = z.union([z.object({ fromSeq: nonNegativeIntSchema }).strict(), z.object({ fromLamport: nonNegativeIntSchema }).strict()]);
export type CursorRequest = z.infer<typeof cursorRequestSchema>;

export interface EventsBulk {
  events: StoredEvent[];
  nextCursor: number;
  hasMore: boolean;
}

/**
 * UNAVAILABLE: the hub could not commit (disk full, database gone); the event is not stored, retry later.
 * CLOCK_EXHAUSTED: the hub's Lamport clock is at its bound (docs/edge.md); the event is not stored,
 * nothing is wrong with it: keep it and retry once an operator has repaired the hub's clock.
 */
export const APPEND_ERROR_CODES = ['INVALID', 'REALM_MISMATCH', 'VERSION_CONFLICT', 'LOCKED', 'RATE_LIMITED', 'UNAVAILABLE', 'CLOCK_EXHAUSTED'] as const;
export type AppendErrorCode = (typeof APPEND_ERROR_CODES)[number];

export type AppendAck =
  | { ok: true; seq: number; duplicate?: boolean }
  | {
      ok: false;
      code: AppendErrorCode;
      message: string;
      /** VERSION_CONFLICT: the aggregate's current version. */
      currentVersion?: number;
      /** LOCKED: who holds the lease and until when. */
      holder?: string;
      expiresAt?: string;
      /** RATE_LIMITED: when to try again. */
      retryAfterMs?: number;
      details?: unknown;
    };

/** Reasons a handshake is refused, sent as the `connect_error` message. */
export const HANDSHAKE_ERRORS = { unauthorized: 'unauthorized', realmMismatch: 'realm_mismatch' } as const;
