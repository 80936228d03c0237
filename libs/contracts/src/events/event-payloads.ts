import { z } from 'zod';
import { idSchema, nonNegativeIntSchema } from '../common/primitives.js';
import { skuSchema, stationSchema } from '../state/menu.js';
import type { EventType } from './event-types.js';

/**
 * Payload schemas per event type. Objects are loose: devices may carry more fields than the hub
 * reads, and those are kept; the fields named here are checked.
 */
export const orderItemSchema = z.looseObject({
  lineId: z.string().min(1).max(64).optional(),
  sku: skuSchema,
  qty: z.number().int().min(1).max(10_000),
  name: z.string().max(120).optional(),
  priceCents: nonNegativeIntSchema.optional(),
  station: stationSchema.optional(),
  modifiers: z.array(z.string().max(120)).max(50).optional(),
  note: z.string().max(500).optional(),
});
export type OrderItem = z.infer<typeof orderItemSchema>;

const leaseTtlSchema = z.number().int().min(30).max(60);

const ticketItemSchema = z.looseObject({
  sku: skuSchema,
  qty: z.number().int().min(1).max(10_000),
  name: z.string().max(120).optional(),
  modifiers: z.array(z.string().max(120)).max(50).optional(),
  note: z.string().max(500).optional(),
});

const ticketCreatedSchema = z.looseObject({
  orderId: z.string().min(1).max(128),
  station: z.enum(['kitchen', 'bar']),
  items: z.array(ticketItemSchema).min(1).max(500),
});

export const EVENT_PAYLOAD_SCHEMAS = {
  'order.created': z.looseObject({
    items: z.array(orderItemSchema).max(500),
    tableId: z.string().max(64).optional(),
    note: z.string().max(500).optional(),
  }),
  'order.updated': z.looseObject({
    items: z.array(orderItemSchema).max(500),
    note: z.string().max(500).optional(),
  }),
  'order.parked': z.looseObject({ reason: z.string().max(200).optional() }),
  'order.reparked': z.looseObject({ reason: z.string().max(200).optional() }),
  'order.paid': z.looseObject({
    totalCents: nonNegativeIntSchema,
    method: z.string().min(1).max(40),
    tenderedCents: nonNegativeIntSchema.optional(),
  }),
  'order.locked': z.looseObject({ ttlSeconds: leaseTtlSchema.optional() }),
  'order.lock.renew': z.looseObject({ ttlSeconds: leaseTtlSchema.optional() }),
  'order.lock.released': z.looseObject({}),
  'kds.ticket.created': ticketCreatedSchema,
  'kds.ticket.ack': z.looseObject({}),
  'kds.ticket.done': z.looseObject({}),
  'bds.ticket.created': ticketCreatedSchema,
  'bds.ticket.ack': z.looseObject({}),
  'bds.ticket.done': z.looseObject({}),
  'inventory.adjusted': z.looseObject({
    sku: skuSchema,
    delta: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((d) => d !== 0, 'must not be 0'),
    reason: z.string().max(200).optional(),
  }),
  'payment.captured': z.looseObject({
    orderId: z.string().min(1).max(128),
    amountCents: nonNegativeIntSchema,
    method: z.string().min(1).max(40),
  }),
  'payment.refunded': z.looseObject({
    orderId: z.string().min(1).max(128),
    amountCents: nonNegativeIntSchema,
    reason: z.string().max(200).optional(),
  }),
} as const satisfies Record<EventType, z.ZodType>;

export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_PAYLOAD_SCHEMAS)[T]>;

export const deviceIdSchema = idSchema;
