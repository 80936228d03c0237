import { uuidv7, type SalesResponse } from '@app/contracts';
import { makeEvent, waitFor } from '@app/testing';
import { CloudApi, registerNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import { ProjectionsService } from './projections.service.js';

describe(ProjectionsService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;

  beforeAll(async () => {
    cloud = await startCloudTestApp('sales');
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
  });

  afterAll(async () => {
    await cloud.close();
  });

  describe('projectStore', () => {
    it("should sum the orders paid per day of the store's time zone, once, whatever is resent", async () => {
      const tenant = await make.tenant();
      const admin = anyone.as((await make.operatorWithToken(tenant)).token);
      const store = await make.store(tenant, { timezone: 'America/New_York' });
      const node = await registerNode(anyone, admin, store.id);
      const realm = { tenantId: tenant.id, storeId: store.id };
      const paid = (at: string, totalCents: number) =>
        makeEvent({ ...realm, type: 'order.paid', aggregateId: `order-${uuidv7()}`, version: 3, at, payload: { totalCents, method: 'card' } });
      const events = [
        // 23:30 on 1 March in New York is already 2 March in UTC.
        paid('2026-03-02T04:30:00Z', 2_500),
        paid('2026-03-01T15:00:00-05:00', 1_000),
        makeEvent({ ...realm, type: 'order.created', at: '2026-03-01T20:00:00Z' }),
        paid('2026-03-02T14:00:00Z', 4_200),
      ];
      await node.api.post('/api/v1/events/ingest', { events }).expect(200);
      const cursorAtEnd = async () => Number((await prisma.storeProjectionCursor.findUnique({ where: { storeId: store.id } }))?.lastCloudSeq ?? 0);
      const last = Number((await prisma.ingestedEvent.findFirstOrThrow({ where: { storeId: store.id }, orderBy: { cloudSeq: 'desc' } })).cloudSeq);
      await waitFor(async () => (await cursorAtEnd()) === last, { what: 'the projection to catch up' });

      const sales = (await admin.get(`/api/v1/stores/${store.id}/sales?from=2026-02-28&to=2026-03-03`).expect(200)).body as SalesResponse;
      expect(sales).toEqual({
        storeId: store.id,
        currency: null,
        days: [
          { day: '2026-02-28', orders: 0, salesCents: 0 },
          { day: '2026-03-01', orders: 2, salesCents: 3_500 },
          { day: '2026-03-02', orders: 1, salesCents: 4_200 },
          { day: '2026-03-03', orders: 0, salesCents: 0 },
        ],
      });

      // A resend and a repeated run count nothing twice.
      await node.api.post('/api/v1/events/ingest', { events }).expect(200);
      await cloud.app.get(ProjectionsService).projectStore(store.id);
      expect((await admin.get(`/api/v1/stores/${store.id}/sales?from=2026-03-01&to=2026-03-02`).expect(200)).body.days).toEqual(sales.days.slice(1, 3));

      // A later batch is added on top.
      await node.api.post('/api/v1/events/ingest', { events: [paid('2026-03-02T15:00:00Z', 800)] }).expect(200);
      await waitFor(async () => (await cursorAtEnd()) > last, { what: 'the next projection' });
      expect((await admin.get(`/api/v1/stores/${store.id}/sales?from=2026-03-02&to=2026-03-02`).expect(200)).body.days).toEqual([
        { day: '2026-03-02', orders: 2, salesCents: 5_000 },
      ]);
    });

    it("should name the currency of the store's latest published settings, and null when it has none or no valid one", async () => {
      const tenant = await make.tenant();
      const admin = anyone.as((await make.operatorWithToken(tenant)).token);
      const store = await make.store(tenant, { name: 'Harbour Side Kitchen & Bar — the long name of a real restaurant' });
      const other = await make.store(tenant);
      const currencyOf = async (storeId: string) =>
        ((await admin.get(`/api/v1/stores/${storeId}/sales?from=2026-03-01&to=2026-03-01`).expect(200)).body as SalesResponse).currency;
      const publish = (values: Record<string, unknown>) =>
        admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'settings', payload: { values } }).expect(201);

      // Never published: no settings at all.
      expect(await currencyOf(store.id)).toBeNull();
      await publish({ 'store.currency': 'eur', 'tables.count': 12 });
      expect(await currencyOf(store.id)).toBe('EUR');
      // Another store of the tenant keeps its own (none).
      expect(await currencyOf(other.id)).toBeNull();
      // The latest revision decides; a value that is no ISO 4217 code is no currency.
      await publish({ 'store.currency': 'pounds' });
      expect(await currencyOf(store.id)).toBeNull();
      await publish({ 'store.currency': 826 });
      expect(await currencyOf(store.id)).toBeNull();
      await publish({ 'store.currency': 'GBP' });
      expect(await currencyOf(store.id)).toBe('GBP');
      // A settings change that leaves the key alone keeps it; removing the key removes the currency.
      await publish({ 'tables.count': 30 });
      expect(await currencyOf(store.id)).toBe('GBP');
      await publish({ 'store.currency': null });
      expect(await currencyOf(store.id)).toBeNull();
    });

    it('should refuse a range that is backwards or longer than a year', async () => {
      const tenant = await make.tenant();
      const admin = anyone.as((await make.operatorWithToken(tenant)).token);
      const store = await make.store(tenant);
      expect((await admin.get(`/api/v1/stores/${store.id}/sales?from=2026-03-02&to=2026-03-01`).expect(400)).body.details.issues).toEqual([
        expect.objectContaining({ path: 'from' }),
      ]);
      expect((await admin.get(`/api/v1/stores/${store.id}/sales?from=2025-01-01&to=2026-03-01`).expect(400)).body.details.issues).toEqual([
        expect.objectContaining({ path: 'to' }),
      ]);
      expect((await admin.get(`/api/v1/stores/${store.id}/sales?from=yesterday`).expect(400)).body.details.issues).toEqual([
        expect.objectContaining({ path: 'from' }),
      ]);
      expect((await admin.get(`/api/v1/stores/${store.id}/sales`).expect(200)).body.days).toHaveLength(31);
    });
  });
});
