import { MAX_INGEST_BATCH, uuidv7, type CloudEventsPage, type EventBase, type IngestResponse, type JsonValue } from '@app/contracts';
import { makeEvent } from '@app/testing';
import { CloudApi, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import type { StoreRow } from '../stores/stores.repository.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { IngestService } from './ingest.service.js';

describe(IngestService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;
  let tenant: TenantRow;
  let admin: CloudApi;
  let adminEmail: string;

  beforeAll(async () => {
    cloud = await startCloudTestApp('ingest');
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
    tenant = await make.tenant();
    const operator = await make.operatorWithToken(tenant);
    adminEmail = operator.email;
    admin = anyone.as(operator.token);
  });

  afterAll(async () => {
    await cloud.close();
  });

  async function storeWithNode(): Promise<{ store: StoreRow; node: RegisteredNode }> {
    const store = await make.store(tenant);
    return { store, node: await registerNode(anyone, admin, store.id) };
  }

  /** Events of one order as a hub ships them: its own seq riding along. */
  function orderEvents(store: StoreRow, count: number, firstSeq = 1): (EventBase & { seq: number })[] {
    const orderId = `order-${uuidv7()}`;
    return Array.from({ length: count }, (_, i) => ({
      ...makeEvent({
        tenantId: tenant.id,
        storeId: store.id,
        aggregateId: orderId,
        version: i + 1,
        type: i === 0 ? 'order.created' : 'order.updated',
        payload: { items: [{ sku: 'B1', qty: i + 1 }] },
      }),
      clock: { lamport: firstSeq + i, deviceId: 'till-1' },
      seq: firstSeq + i,
    }));
  }

  const ingest = (node: RegisteredNode, events: unknown[]) => node.api.post('/api/v1/events/ingest', { events });

  describe('ingest', () => {
    it('should store a batch durably in request order with the hub sequence, then count a resend as duplicates', async () => {
      const { store, node } = await storeWithNode();
      const events = orderEvents(store, 5, 41);
      const first = await ingest(node, events).expect(200);
      expect(first.body).toEqual({ accepted: 5, duplicates: 0, rejected: [] } satisfies IngestResponse);
      const stored = await prisma.ingestedEvent.findMany({ where: { storeId: store.id }, orderBy: { cloudSeq: 'asc' } });
      expect(stored.map((e) => [e.eventId, Number(e.hubSeq), e.origin])).toEqual(events.map((e) => [e.eventId, e.seq, 'hub']));

      const resend = await ingest(node, events).expect(200);
      expect(resend.body).toEqual({ accepted: 0, duplicates: 5, rejected: [] });
      expect(await prisma.ingestedEvent.count({ where: { storeId: store.id } })).toBe(5);
    });

    it('should reject an event id sent again with other content as CONFLICT and keep what it stored', async () => {
      const { store, node } = await storeWithNode();
      const [original] = orderEvents(store, 1);
      await ingest(node, [original]).expect(200);
      const tampered = { ...original!, payload: { items: [{ sku: 'B1', qty: 99 }] } };
      const fresh = orderEvents(store, 1)[0]!;
      const res = await ingest(node, [tampered, fresh]).expect(200);
      expect(res.body).toEqual({
        accepted: 1,
        duplicates: 0,
        rejected: [{ eventId: original!.eventId, index: 0, code: 'CONFLICT', message: expect.stringContaining('different content') }],
      });
      const row = await prisma.ingestedEvent.findUniqueOrThrow({
        where: { tenantId_storeId_eventId: { tenantId: tenant.id, storeId: store.id, eventId: original!.eventId } },
      });
      expect((row.body as unknown as EventBase).payload).toEqual(original!.payload);
    });

    it('should accept an event once when a batch carries it twice, and reject a twin with other content', async () => {
      const { store, node } = await storeWithNode();
      const [event] = orderEvents(store, 1);
      const twin = { ...event!, payload: { items: [{ sku: 'B2', qty: 1 }] } };
      expect((await ingest(node, [event, event]).expect(200)).body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
      const again = await ingest(node, [event, twin]).expect(200);
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 1, rejected: [{ index: 1, code: 'CONFLICT' }] });
    });

    it('should tell new, resent and conflicting events apart wherever they sit in a batch', async () => {
      const { store, node } = await storeWithNode();
      const [a, b, c, d, e] = orderEvents(store, 5);
      await ingest(node, [b, c]).expect(200);
      // Known events in the middle only: straight to the insert, the ignored ones looked up after.
      expect((await ingest(node, [a, b, { ...c!, payload: { items: [{ sku: 'X', qty: 1 }] } }, d]).expect(200)).body).toEqual({
        accepted: 2,
        duplicates: 1,
        rejected: [expect.objectContaining({ index: 2, code: 'CONFLICT' })],
      });
      // A known event first: read up front, only the new one inserted.
      expect((await ingest(node, [a, e, d]).expect(200)).body).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
      expect(await prisma.ingestedEvent.count({ where: { storeId: store.id } })).toBe(5);
    });

    it("should ignore the hub's seq when telling a duplicate from a conflict", async () => {
      const { store, node } = await storeWithNode();
      const [event] = orderEvents(store, 1, 7);
      await ingest(node, [event]).expect(200);
      expect((await ingest(node, [{ ...event!, seq: 8 }]).expect(200)).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    });

    it("should reject events of another realm than the node's, alone", async () => {
      const { store, node } = await storeWithNode();
      const other = await make.store(tenant);
      const [good] = orderEvents(store, 1);
      const otherStore = makeEvent({ tenantId: tenant.id, storeId: other.id });
      const otherTenant = makeEvent({ tenantId: 'another-tenant', storeId: store.id });
      const res = await ingest(node, [otherStore, good, otherTenant]).expect(200);
      expect(res.body).toEqual({
        accepted: 1,
        duplicates: 0,
        rejected: [
          { eventId: otherStore.eventId, index: 0, code: 'REALM_MISMATCH', message: expect.stringContaining(other.id) },
          { eventId: otherTenant.eventId, index: 2, code: 'REALM_MISMATCH', message: expect.stringContaining('another-tenant') },
        ],
      });
      expect(await prisma.ingestedEvent.count({ where: { storeId: other.id } })).toBe(0);
    });

    it('should reject malformed events one by one, naming the field, and accept their neighbours', async () => {
      const { store, node } = await storeWithNode();
      const realm = { tenantId: tenant.id, storeId: store.id };
      const good = makeEvent(realm);
      const unpaid = makeEvent({ ...realm, type: 'order.paid', payload: { method: 'card' } });
      const noId = { ...makeEvent(realm), eventId: undefined };
      const badSeq = { ...makeEvent(realm), seq: -3 };
      const wrongAggregate = makeEvent({ ...realm, type: 'kds.ticket.done', aggregateType: 'order' });
      const res = await ingest(node, [42, unpaid, good, noId, badSeq, wrongAggregate, null]).expect(200);
      expect(res.body.accepted).toBe(1);
      expect(res.body.rejected).toEqual([
        { eventId: null, index: 0, code: 'INVALID', message: expect.any(String), field: '' },
        { eventId: unpaid.eventId, index: 1, code: 'INVALID', message: expect.stringContaining('payload.totalCents'), field: 'payload.totalCents' },
        { eventId: null, index: 3, code: 'INVALID', message: expect.stringContaining('eventId'), field: 'eventId' },
        { eventId: badSeq.eventId, index: 4, code: 'INVALID', message: expect.stringContaining('seq'), field: 'seq' },
        { eventId: wrongAggregate.eventId, index: 5, code: 'INVALID', message: expect.stringContaining('aggregateType'), field: 'aggregateType' },
        { eventId: null, index: 6, code: 'INVALID', message: expect.any(String), field: '' },
      ]);
      expect(await prisma.ingestedEvent.count({ where: { storeId: store.id } })).toBe(1);
    });

    it('should reject each event the driver or the columns could not take, alone, naming the field, and store its neighbours', async () => {
      const { store, node } = await storeWithNode();
      const realm = { tenantId: tenant.id, storeId: store.id };
      let deep: JsonValue = 'bottom';
      for (let i = 0; i < 40; i += 1) deep = { level: deep };
      const cases: [string, Record<string, unknown>][] = [
        ['at', { at: '0000-01-01T00:00:00+14:00' }],
        ['at', { at: '9999-12-31T23:59:59-14:00' }],
        ['version', { version: 2 ** 40 }],
        ['aggregateId', { aggregateId: `order-\ud800-${uuidv7()}` }],
        ['actor.userId', { actor: { deviceId: 'till-1', userId: 'cashier-\udc00' } }],
        ['payload.note', { payload: { items: [], note: 'lone \ud83d surrogate' } }],
        ['payload.\udfffkey', { payload: { items: [], '\udfffkey': true } }],
        ['payload.nested', { payload: { items: [], nested: deep } }],
      ];
      const bad = cases.map(([, patch]) => ({ ...makeEvent({ ...realm, aggregateId: `order-${uuidv7()}` }), ...patch }));
      const good = [makeEvent({ ...realm, aggregateId: `order-${uuidv7()}` }), makeEvent({ ...realm, aggregateId: `order-${uuidv7()}` })];
      const res = await ingest(node, [good[0], ...bad, good[1]]).expect(200);
      expect(res.body.accepted).toBe(2);
      expect(res.body.rejected).toEqual(
        cases.map(([field], i) => ({
          eventId: bad[i]!.eventId,
          index: i + 1,
          code: 'INVALID',
          message: expect.any(String),
          field: expect.stringContaining(field),
        })),
      );
      expect((await prisma.ingestedEvent.findMany({ where: { storeId: store.id } })).map((e) => e.eventId).sort()).toEqual(good.map((e) => e.eventId).sort());
    });

    it('should deduplicate per store: the same event id in another tenant is accepted there, and a CONFLICT says nothing of it', async () => {
      const other = await make.tenant({ name: 'Other Tenant Holdings — a completely separate franchise group' });
      const otherAdmin = anyone.as((await make.operatorWithToken(other)).token);
      const otherStore = await make.store(other);
      const otherNode = await registerNode(anyone, otherAdmin, otherStore.id);
      const { store, node } = await storeWithNode();
      const sibling = await storeWithNode();
      const [mine] = orderEvents(store, 1);
      await ingest(node, [mine]).expect(200);
      // The same id, in another tenant's store and in a sibling store of this tenant: theirs to keep.
      const theirs = { ...mine!, tenantId: other.id, storeId: otherStore.id, payload: { items: [{ sku: 'OTHER', qty: 7 }] } };
      expect((await ingest(otherNode, [theirs]).expect(200)).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      const siblings = { ...mine!, storeId: sibling.store.id };
      expect((await ingest(sibling.node, [siblings]).expect(200)).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      // Each store sees its own as a duplicate, and a change to it as its own conflict.
      expect((await ingest(otherNode, [theirs]).expect(200)).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
      const tampered = { ...mine!, payload: { items: [{ sku: 'B1', qty: 42 }] } };
      const conflict = await ingest(node, [tampered]).expect(200);
      expect(conflict.body.rejected).toEqual([
        { eventId: mine!.eventId, index: 0, code: 'CONFLICT', message: 'an event with this eventId was already ingested with different content' },
      ]);
      expect(JSON.stringify(conflict.body)).not.toContain(other.id);
      const stored = await prisma.ingestedEvent.findMany({ where: { eventId: mine!.eventId }, orderBy: { cloudSeq: 'asc' } });
      expect(stored.map((e) => [e.tenantId, e.storeId])).toEqual([
        [tenant.id, store.id],
        [other.id, otherStore.id],
        [tenant.id, sibling.store.id],
      ]);
      const page = (await otherAdmin.get(`/api/v1/stores/${otherStore.id}/events`).expect(200)).body as CloudEventsPage;
      expect(page.events.map((e) => e.payload)).toEqual([theirs.payload]);
    });

    it('should refuse a batch over the limit with 413, storing nothing', async () => {
      const { store, node } = await storeWithNode();
      const events = Array.from({ length: MAX_INGEST_BATCH + 1 }, () => makeEvent({ tenantId: tenant.id, storeId: store.id }));
      const res = await ingest(node, events).expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'BATCH_TOO_LARGE', details: { maxEvents: MAX_INGEST_BATCH } });
      expect(await prisma.ingestedEvent.count({ where: { storeId: store.id } })).toBe(0);
      await ingest(node, events.slice(0, MAX_INGEST_BATCH)).expect(200);
      expect(await prisma.ingestedEvent.count({ where: { storeId: store.id } })).toBe(MAX_INGEST_BATCH);
    });

    it('should refuse a body that is not a batch', async () => {
      const { node } = await storeWithNode();
      expect((await node.api.post('/api/v1/events/ingest', { events: [] }).expect(400)).body.details.issues).toEqual([
        expect.objectContaining({ path: 'events' }),
      ]);
      expect((await node.api.post('/api/v1/events/ingest', [makeEvent()]).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('page', () => {
    it("should serve a store's events in cloud order, page by page", async () => {
      const { store, node } = await storeWithNode();
      const events = orderEvents(store, 5);
      await ingest(node, events.slice(0, 3)).expect(200);
      await ingest(node, events.slice(3)).expect(200);
      const first = (await admin.get(`/api/v1/stores/${store.id}/events?limit=2`).expect(200)).body as CloudEventsPage;
      expect(first.events.map((e) => e.eventId)).toEqual(events.slice(0, 2).map((e) => e.eventId));
      const { seq, ...base } = events[0]!;
      expect(first.events[0]).toEqual({ ...base, hubSeq: seq, origin: 'hub', cloudSeq: first.nextCursor - 1 });
      const rest = (await admin.get(`/api/v1/stores/${store.id}/events?after=${first.nextCursor}&limit=10`).expect(200)).body as CloudEventsPage;
      expect(rest.events.map((e) => e.eventId)).toEqual(events.slice(2).map((e) => e.eventId));
      const end = (await admin.get(`/api/v1/stores/${store.id}/events?after=${rest.nextCursor}`).expect(200)).body as CloudEventsPage;
      expect(end).toEqual({ events: [], nextCursor: rest.nextCursor });
    });
  });

  describe('events created at HQ', () => {
    it("should store them as the cloud's, audited, and hand only them to the store's node", async () => {
      const { store, node } = await storeWithNode();
      await ingest(node, orderEvents(store, 2)).expect(200);
      const delivery = makeEvent({
        tenantId: tenant.id,
        storeId: store.id,
        type: 'inventory.adjusted',
        aggregateType: 'inventory',
        aggregateId: 'sku-FLOUR',
        payload: { sku: 'FLOUR', delta: 25, reason: 'delivery' },
      });
      const res = await admin.post(`/api/v1/stores/${store.id}/events`, { events: [delivery] }).expect(200);
      expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      const forNode = (await node.api.get('/api/v1/nodes/events').expect(200)).body as CloudEventsPage;
      expect(forNode.events.map((e) => [e.eventId, e.origin])).toEqual([[delivery.eventId, 'cloud']]);
      expect((await node.api.get(`/api/v1/nodes/events?after=${forNode.nextCursor}`).expect(200)).body.events).toEqual([]);
      const audit = (await admin.get(`/api/v1/audit?storeId=${store.id}`).expect(200)).body.entries.find(
        (e: { action: string }) => e.action === 'events.created',
      );
      expect(audit).toMatchObject({ actorLabel: adminEmail, details: { accepted: 1, eventIds: [delivery.eventId] } });
      // A bad one among them is rejected alone, naming its field, never a 500 for the request.
      const surrogate = {
        ...makeEvent({
          tenantId: tenant.id,
          storeId: store.id,
          type: 'inventory.adjusted',
          aggregateType: 'inventory',
          aggregateId: 'sku-FLOUR',
          payload: { sku: 'FLOUR', delta: 5 },
        }),
        payload: { sku: 'FLOUR', delta: 5, reason: 'delivery \ud800' },
      };
      const dated = makeEvent({
        tenantId: tenant.id,
        storeId: store.id,
        type: 'inventory.adjusted',
        aggregateType: 'inventory',
        aggregateId: 'sku-FLOUR',
        at: '0000-01-01T00:00:00+14:00',
        payload: { sku: 'FLOUR', delta: 5 },
      });
      const another = makeEvent({
        tenantId: tenant.id,
        storeId: store.id,
        type: 'inventory.adjusted',
        aggregateType: 'inventory',
        aggregateId: 'sku-FLOUR',
        payload: { sku: 'FLOUR', delta: 5 },
      });
      const mixed = await admin.post(`/api/v1/stores/${store.id}/events`, { events: [surrogate, dated, another] }).expect(200);
      expect(mixed.body).toEqual({
        accepted: 1,
        duplicates: 0,
        rejected: [
          { eventId: surrogate.eventId, index: 0, code: 'INVALID', message: expect.stringContaining('surrogate'), field: 'payload.reason' },
          { eventId: dated.eventId, index: 1, code: 'INVALID', message: expect.stringContaining('2000-01-01'), field: 'at' },
        ],
      });
      const wrongStore = makeEvent({
        tenantId: tenant.id,
        storeId: 'elsewhere',
        type: 'inventory.adjusted',
        aggregateType: 'inventory',
        payload: { sku: 'X', delta: 1 },
      });
      expect((await admin.post(`/api/v1/stores/${store.id}/events`, { events: [wrongStore] }).expect(200)).body.rejected).toEqual([
        expect.objectContaining({ code: 'REALM_MISMATCH' }),
      ]);
    });
  });
});
