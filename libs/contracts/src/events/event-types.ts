export const AGGREGATE_TYPES = ['order', 'kds', 'bds', 'inventory', 'payment'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

export const ORDER_EVENT_TYPES = [
  'order.created',
  'order.updated',
  'order.parked',
  'order.reparked',
  'order.paid',
  'order.locked',
  'order.lock.renew',
  'order.lock.released',
] as const;
export const KDS_EVENT_TYPES = ['kds.ticket.created', 'kds.ticket.ack', 'kds.ticket.done'] as const;
export const BDS_EVENT_TYPES = ['bds.ticket.created', 'bds.ticket.ack', 'bds.ticket.done'] as const;
export const INVENTORY_EVENT_TYPES = ['inventory.adjusted'] as const;
export const PAYMENT_EVENT_TYPES = ['payment.captured', 'payment.refunded'] as const;

export const EVENT_TYPES = [...ORDER_EVENT_TYPES, ...KDS_EVENT_TYPES, ...BDS_EVENT_TYPES, ...INVENTORY_EVENT_TYPES, ...PAYMENT_EVENT_TYPES] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Every event type belongs to exactly one aggregate type: the part of its name before the first dot. */
export function aggregateTypeOf(type: EventType): AggregateType {
  return type.slice(0, type.indexOf('.')) as AggregateType;
}

/** Lease events: they change who may write to an order, and are checked against the lease rules. */
export const LEASE_EVENT_TYPES = ['order.locked', 'order.lock.renew', 'order.lock.released'] as const;
export type LeaseEventType = (typeof LEASE_EVENT_TYPES)[number];
export function isLeaseEventType(type: EventType): type is LeaseEventType {
  return (LEASE_EVENT_TYPES as readonly string[]).includes(type);
}
