import { uuidv7, type EventBase } from '@app/contracts';

/** Milliseconds on the process's monotonic clock, the same in every worker thread. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * A new order from a till, about 450 bytes as JSON. Items carry no station, so the hub derives no
 * ticket from it: the figures are for the appended events themselves. `sentAt` (monotonic ms) lets
 * every receiver measure append-to-arrival.
 */
export function benchOrder(realm: { tenantId: string; storeId: string }, deviceId: string, n: number, lamport: number): EventBase {
  return {
    eventId: uuidv7(),
    tenantId: realm.tenantId,
    storeId: realm.storeId,
    aggregateType: 'order',
    aggregateId: `${deviceId}-order-${n}`,
    version: 1,
    type: 'order.created',
    at: new Date().toISOString(),
    actor: { deviceId, userId: 'u-bench' },
    clock: { lamport, deviceId },
    payload: {
      items: [
        { lineId: 'l1', sku: 'MAIN-BURGER', qty: 2, name: 'Classic cheeseburger', priceCents: 1450 },
        { lineId: 'l2', sku: 'DRINK-LAGER-PINT', qty: 2, name: 'House lager (pint)', priceCents: 595 },
      ],
      tableId: 'T12',
      sentAt: nowMs(),
    },
  };
}
