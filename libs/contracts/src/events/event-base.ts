import { z } from 'zod';
import {
  idSchema,
  isoDateTimeSchema,
  isWellFormedText,
  jsonByteLength,
  jsonObjectSchema,
  nonNegativeIntSchema,
  positiveInt32Schema,
  positiveIntSchema,
  uuidSchema,
  WELL_FORMED_MESSAGE,
} from '../common/primitives.js';
import { validate, type ValidationResult } from '../validation/validate.js';
import { AGGREGATE_TYPES, EVENT_TYPES, aggregateTypeOf, type EventType } from './event-types.js';
import { EVENT_PAYLOAD_SCHEMAS } from './event-payloads.js';

/** Largest payload one event may carry, serialised. Orders are 0.5-2 KB (seed 000 section 12). */
export const MAX_EVENT_PAYLOAD_BYTES = 16 * 1024;

const eventBaseShape = z.object({
  eventId: uuidSchema,
  tenantId: idSchema,
  storeId: idSchema,
  aggregateType: z.enum(AGGREGATE_TYPES),
  aggregateId: z.string().min(1).max(128).refine(isWellFormedText, WELL_FORMED_MESSAGE),
  // The cloud keeps it in an INT column.
  version: positiveInt32Schema,
  type: z.enum(EVENT_TYPES),
  at: isoDateTimeSchema,
  actor: z.object({ deviceId: idSchema, userId: z.string().min(1).max(64).refine(isWellFormedText, WELL_FORMED_MESSAGE).optional() }),
  clock: z.object({ lamport: nonNegativeIntSchema, deviceId: idSchema }),
  payload: jsonObjectSchema,
});

/**
 * The event every device, the hub and the cloud exchange (SYSTEM.md 4.1). The payload is checked
 * against its type's schema, the aggregate type against the event type, and the size is bounded.
 */
export const eventBaseSchema = eventBaseShape.superRefine((event, ctx) => {
  const expected = aggregateTypeOf(event.type);
  if (event.aggregateType !== expected) {
    ctx.addIssue({ code: 'custom', path: ['aggregateType'], message: `must be '${expected}' for type '${event.type}'` });
  }
  if (jsonByteLength(event.payload) > MAX_EVENT_PAYLOAD_BYTES) {
    ctx.addIssue({ code: 'custom', path: ['payload'], message: `must be at most ${MAX_EVENT_PAYLOAD_BYTES} bytes as JSON` });
    return;
  }
  const payload = EVENT_PAYLOAD_SCHEMAS[event.type].safeParse(event.payload);
  if (!payload.success) {
    for (const issue of payload.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path], message: issue.message });
    }
  }
});

export type EventBase = z.infer<typeof eventBaseShape> & { type: EventType };

/** An event as the hub committed it: `seq` is the hub's own cursor, 1, 2, 3 ... */
export type StoredEvent = EventBase & { seq: number };

export const storedEventSchema = eventBaseSchema.and(z.object({ seq: positiveIntSchema }));

export function validateEvent(input: unknown): ValidationResult<EventBase> {
  return validate(eventBaseSchema, input);
}

/** The total replay order of events across devices: Lamport time, then event id. */
export function compareEventOrder(a: Pick<EventBase, 'clock' | 'eventId'>, b: Pick<EventBase, 'clock' | 'eventId'>): number {
  if (a.clock.lamport !== b.clock.lamport) return a.clock.lamport - b.clock.lamport;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}
