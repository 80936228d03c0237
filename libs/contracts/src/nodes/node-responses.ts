import { z } from 'zod';
import { describes } from '../common/describes.js';
import { nonNegativeIntSchema, positiveIntSchema, uuidSchema } from '../common/primitives.js';
import { commandEnvelopeShapeSchema } from '../commands/command-envelope.js';
import { eventBaseSchema } from '../events/event-base.js';
import { COMMAND_STATUS_NAMES } from '../cloud/operator-api.js';
import { INGEST_REJECT_CODES, type CloudEvent, type CloudEventsPage, type IngestRejection, type IngestResponse } from './ingest-api.js';
import type { CommandAckResponse, CommandsPollResponse } from './node-api.js';

/*
 * The answers of the node routes that node-api.ts and ingest-api.ts declare as types, as zod
 * schemas for the OpenAPI document (the others, such as keysResponseSchema, are zod already).
 * `describes` checks each one against its type at compile time.
 */

export const commandsPollResponseSchema = describes<CommandsPollResponse>()(
  z.object({ commands: z.array(commandEnvelopeShapeSchema).meta({ description: 'Signed envelopes, in seq order; empty when the wait ended without one' }) }),
);

export const commandAckResponseSchema = describes<CommandAckResponse>()(
  z.object({
    commandId: uuidSchema,
    status: z.enum(COMMAND_STATUS_NAMES),
    changed: z.boolean().meta({ description: 'False when the ack repeated an earlier one or came after the command had moved on' }),
  }),
);

export const ingestRejectionSchema = describes<IngestRejection>()(
  z.object({
    eventId: z.string().nullable(),
    index: nonNegativeIntSchema.meta({ description: 'Position of the event in the request' }),
    code: z.enum(INGEST_REJECT_CODES),
    message: z.string(),
    field: z.string().optional().meta({ description: 'INVALID: the path of the first field the contract refused' }),
  }),
);

export const ingestResponseSchema = describes<IngestResponse>()(
  z.object({ accepted: nonNegativeIntSchema, duplicates: nonNegativeIntSchema, rejected: z.array(ingestRejectionSchema) }),
);

export const cloudEventSchema = describes<CloudEvent>()(
  eventBaseSchema.safeExtend({
    cloudSeq: positiveIntSchema.meta({ description: "The cloud's order" }),
    hubSeq: positiveIntSchema.nullable().meta({ description: "The hub's seq (null for events created at HQ)" }),
    origin: z.enum(['hub', 'cloud']),
  }),
);

export const cloudEventsPageSchema = describes<CloudEventsPage>()(
  z.object({ events: z.array(cloudEventSchema), nextCursor: nonNegativeIntSchema.meta({ description: 'Pass as after for the next page' }) }),
);
