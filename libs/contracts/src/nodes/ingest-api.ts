import { z } from 'zod';
import { positiveIntSchema } from '../common/primitives.js';
import type { EventBase } from '../events/event-base.js';

/** Largest batch the cloud ingests in one request; beyond it the answer is 413. */
export const MAX_INGEST_BATCH = 1_000;

export const INGEST_REJECT_CODES = ['INVALID', 'REALM_MISMATCH', 'CONFLICT'] as const;
export type IngestRejectCode = (typeof INGEST_REJECT_CODES)[number];

/**
 * The body is checked event by event by the ingest itself (a bad event is rejected, its neighbours
 * are not), so the envelope only requires an array.
 */
export const ingestRequestSchema = z.object({ events: z.array(z.unknown()).min(1) });

export interface IngestRejection {
  eventId: string | null;
  index: number;
  code: IngestRejectCode;
  message: string;
  /** INVALID: the path of the first field the contract refused (`at`, `payload.items[0].qty`). */
  field?: string;
}

export interface IngestResponse {
  accepted: number;
  duplicates: number;
  rejected: IngestRejection[];
}

/** An event as the cloud serves it back: `cloudSeq` is the cloud's order, `hubSeq` the hub's. */
export type CloudEvent = EventBase & { cloudSeq: number; hubSeq: number | null; origin: 'hub' | 'cloud' };

export interface CloudEventsPage {
  events: CloudEvent[];
  nextCursor: number;
}

export const hubSeqSchema = positiveIntSchema;
