import { makeEvent, createTempDir, type TempDir } from '@app/testing';
import { openEdgeDatabase, type SqliteDatabase } from '../database/sqlite-database.js';
import { EventWriter, type WriteRequest } from './event-writer.js';
import { EventStoreRepository } from './event-store.repository.js';

const SETTINGS = { tenantId: 't-demo', storeId: 's-001', hubId: 'hub-test', leaseTtlOverrideMs: null, maxLamportSkew: 1_000 };

function req(overrides: Parameters<typeof makeEvent>[0] = {}, extra: Partial<WriteRequest> = {}): WriteRequest {
  const event = makeEvent(overrides);
  return { event, deviceId: event.actor.deviceId, origin: 'device', ...extra };
}

describe(EventWriter.name, () => {
  let tmp: TempDir;
  let db: SqliteDatabase;
  let writer: EventWriter;

  beforeEach(async () => {
    tmp = await createTempDir('event-writer');
    db = openEdgeDatabase(tmp.path);
    writer = new EventWriter(db, SETTINGS);
  });

  afterEach(async () => {
    if (db.open) db.close();
    await tmp.remove();
  });

  describe('commit', () => {
    it('should apply the rules in order inside one group', () => {
      const first = req({ aggregateId: 'o-1' });
      const result = writer.commit([
        first,
        req({ aggregateId: 'o-1' }), // a second version 1 of the same order, in the same group
        { ...first }, // the same eventId again
        req({ aggregateId: 'o-1', type: 'order.parked', version: 2, payload: {} }),
      ]);
      expect(result.acks).toEqual([
        { ok: true, seq: 1 },
        expect.objectContaining({ ok: false, code: 'VERSION_CONFLICT', currentVersion: 1 }),
        { ok: true, seq: 1, duplicate: true },
        { ok: true, seq: 2 },
      ]);
      expect(result.seq).toBe(2);
      expect(new EventStoreRepository(db).bodiesAfter(0, 10).map((b) => (JSON.parse(b) as { seq: number }).seq)).toEqual([1, 2]);
    });

    it('should keep the Lamport clock at max(seen) + 1 and carry seq and clock over a reopen', () => {
      writer.commit([
        req({ aggregateId: 'a', clock: { lamport: 40, deviceId: 'till-1' } }),
        req({ aggregateId: 'b', clock: { lamport: 3, deviceId: 'till-1' } }),
      ]);
      db.close();
      db = openEdgeDatabase(tmp.path);
      const reopened = new EventWriter(db, SETTINGS);
      const result = reopened.commit([req({ aggregateId: 'c', clock: { lamport: 5, deviceId: 'till-1' } })]);
      expect(result.acks).toEqual([{ ok: true, seq: 3 }]);
      expect(result.lamport).toBe(41);
    });

    it('should refuse an event too far ahead of the clock as its group left it, store nothing of it and leave the clock alone', () => {
      const at = (aggregateId: string, lamport: number) => req({ aggregateId, clock: { lamport, deviceId: 'till-1' } });
      const result = writer.commit([
        at('a', 400), // the clock goes to 401
        at('b', 1_401), // 1,000 ahead of 401: the bound itself
        at('c', 3_403), // 2,001 ahead of 1,402
        at('d', 2_402), // 1,000 ahead of 1,402 again: the refusal did not move the clock
      ]);
      expect(result.acks).toEqual([
        { ok: true, seq: 1 },
        { ok: true, seq: 2 },
        {
          ok: false,
          code: 'INVALID',
          message: "invalid event: clock.lamport 3403 is 2001 ahead of the hub's clock 1402; at most 1000 ahead is accepted (EDGE_MAX_LAMPORT_SKEW)",
          details: { issues: [{ path: 'clock.lamport', code: 'too_big', message: expect.stringContaining('at most 1000 ahead') }] },
        },
        { ok: true, seq: 3 },
      ]);
      expect(result.lamport).toBe(2_403);
      const stored = new EventStoreRepository(db).bodiesAfter(0, 10).map((b) => (JSON.parse(b) as { aggregateId: string }).aggregateId);
      expect(stored).toEqual(['a', 'b', 'd']);
      // The refused event's aggregate was not touched: its first version is still free.
      expect(writer.commit([at('c', 2_500)]).acks).toEqual([{ ok: true, seq: 4 }]);
    });

    it('should refuse another device while a lease is held and let the holder write', () => {
      writer.commit([req({ aggregateId: 'o-1' }), req({ aggregateId: 'o-1', type: 'order.locked', version: 2, payload: { ttlSeconds: 30 } })], 1_000_000);
      const result = writer.commit(
        [
          req({ aggregateId: 'o-1', type: 'order.paid', version: 3, payload: { totalCents: 5, method: 'cash' }, actor: { deviceId: 'till-2' } }),
          req({ aggregateId: 'o-1', type: 'order.paid', version: 3, payload: { totalCents: 5, method: 'cash' } }),
        ],
        1_010_000,
      );
      expect(result.acks).toEqual([
        expect.objectContaining({ ok: false, code: 'LOCKED', holder: 'till-1', expiresAt: new Date(1_030_000).toISOString() }),
        { ok: true, seq: 3 },
      ]);
    });

    it('should let a cloud-side event through a lease (the lease binds devices)', () => {
      writer.commit([req({ aggregateId: 'o-1' }), req({ aggregateId: 'o-1', type: 'order.locked', version: 2, payload: {} })]);
      const result = writer.commit([
        req({ aggregateId: 'o-1', type: 'order.parked', version: 3, payload: {}, actor: { deviceId: 'agent-1' } }, { origin: 'cloud', deviceId: 'agent-1' }),
      ]);
      expect(result.acks).toEqual([{ ok: true, seq: 3 }]);
    });

    it('should accept concurrent inventory adjustments whatever their version (PN-counter)', () => {
      const adjust = (deviceId: string, delta: number) =>
        req({ type: 'inventory.adjusted', aggregateId: 'B1', version: 1, payload: { sku: 'B1', delta }, actor: { deviceId } });
      expect(writer.commit([adjust('till-1', 5), adjust('till-2', -2), adjust('till-1', -1)]).acks.map((a) => a.ok)).toEqual([true, true, true]);
    });

    it('should derive one ticket per station, routed by the menu over the item', () => {
      const items = [
        { sku: 'F1', qty: 1, station: 'kitchen' as const },
        { sku: 'D1', qty: 2, station: 'kitchen' as const }, // the menu says bar
        { sku: 'X1', qty: 1, station: 'kitchen' as const }, // the menu says no station
        { sku: 'U1', qty: 1, station: 'bar' as const }, // not on the menu: its own station
      ];
      const result = writer.commit([req({ aggregateId: 'o-9', payload: { items } }, { stations: { F1: 'kitchen', D1: 'bar', X1: null } })]);
      expect(result.acks).toEqual([{ ok: true, seq: 1 }]);
      expect(result.derived.map((d) => [d.after, d.event.seq, d.event.type, d.event.actor.deviceId, d.event.payload])).toEqual([
        [0, 2, 'kds.ticket.created', 'hub-test', { orderId: 'o-9', station: 'kitchen', items: [{ sku: 'F1', qty: 1 }] }],
        [
          0,
          3,
          'bds.ticket.created',
          'hub-test',
          {
            orderId: 'o-9',
            station: 'bar',
            items: [
              { sku: 'D1', qty: 2 },
              { sku: 'U1', qty: 1 },
            ],
          },
        ],
      ]);
      // An update sends only what it adds.
      const update = writer.commit([
        req(
          { aggregateId: 'o-9', type: 'order.updated', version: 2, payload: { items: [...items, { sku: 'F1', qty: 1, note: 'extra' }] } },
          { stations: { F1: 'kitchen', D1: 'bar', X1: null } },
        ),
      ]);
      expect(update.derived.map((d) => d.event.payload)).toEqual([{ orderId: 'o-9', station: 'kitchen', items: [{ sku: 'F1', qty: 1, note: 'extra' }] }]);
    });
  });
});
