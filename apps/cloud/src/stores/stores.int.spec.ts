import type { FleetResponse, FleetStoreView } from '@app/contracts';
import { makeMenuItem } from '@app/testing';
import { ackFailed, CloudApi, pollCommands, registerNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { StoresService } from './stores.service.js';

describe(StoresService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let anyone: CloudApi;
  let tenant: TenantRow;
  let admin: CloudApi;

  beforeAll(async () => {
    cloud = await startCloudTestApp('stores', { NODE_OFFLINE_AFTER_SECONDS: '60' });
    make = new CloudFactories(cloud.app);
    anyone = new CloudApi(cloud.server);
    tenant = await make.tenant();
    admin = anyone.as((await make.operatorWithToken(tenant)).token);
  });

  afterAll(async () => {
    await cloud.close();
  });

  describe('create', () => {
    it('should create a store with every domain at revision 0, audited', async () => {
      const res = await admin.post('/api/v1/stores', { code: 'LDN-01', name: 'London Bridge', timezone: 'Europe/London' }).expect(201);
      const view = res.body as FleetStoreView;
      expect(view).toMatchObject({
        tenantId: tenant.id,
        code: 'LDN-01',
        name: 'London Bridge',
        timezone: 'Europe/London',
        online: false,
        node: null,
        commands: { pending: 0, failed: 0, deadLettered: 0 },
      });
      expect(Object.values(view.domains)).toEqual(Array(4).fill({ desiredRevision: 0, appliedRevision: 0, appliedAt: null, drift: false }));
      const prisma = cloud.app.get(PrismaService);
      expect(await prisma.storeDomainState.count({ where: { storeId: view.id } })).toBe(4);
      expect(await prisma.auditLog.count({ where: { storeId: view.id, action: 'store.created' } })).toBe(1);
    });

    it('should refuse a second store with the same code, and a time zone that does not exist', async () => {
      await admin.post('/api/v1/stores', { code: 'DUP-1', name: 'One' }).expect(201);
      expect((await admin.post('/api/v1/stores', { code: 'DUP-1', name: 'Two' }).expect(409)).body).toMatchObject({ code: 'STORE_CODE_TAKEN' });
      const tz = await admin.post('/api/v1/stores', { code: 'TZ-1', name: 'Mars', timezone: 'Mars/Olympus_Mons' }).expect(400);
      expect(tz.body.details.issues).toEqual([expect.objectContaining({ path: 'timezone' })]);
      const code = await admin.post('/api/v1/stores', { code: 'has space', name: 'x' }).expect(400);
      expect(code.body.details.issues).toEqual([expect.objectContaining({ path: 'code' })]);
    });
  });

  describe('fleetView', () => {
    it('should count what is in motion and what is parked, per store', async () => {
      const store = await make.store(tenant, { code: 'FLEET-1' });
      const node = await registerNode(anyone, admin, store.id);
      const publish = (domain: string, payload: unknown) => admin.post(`/api/v1/stores/${store.id}/revisions`, { domain, payload }).expect(201);
      const menu = (await publish('menu', { items: [makeMenuItem()] })).body.commandId as string;
      await publish('menu', { items: [makeMenuItem({ sku: 'TWO' })] });
      await publish('settings', { values: { a: 1 } });
      await pollCommands(node.api, 0);
      await node.api.post(`/api/v1/commands/${menu}/ack`, ackFailed(menu, 'WRONG_STORE')).expect(200);
      await node.api
        .post('/api/v1/nodes/heartbeat', {
          softwareVersion: '3.1.0',
          appliedRevisions: { settings: 0, menu: 0, users: 0, roles: 0 },
          outboxDepth: 4,
          hubSeq: 9,
          cloudCursor: 5,
          edgeReachable: true,
        })
        .expect(200);

      const fleet = (await admin.get('/api/v1/stores').expect(200)).body as FleetResponse;
      expect(fleet.offlineAfterSeconds).toBe(60);
      const row = fleet.stores.find((s) => s.id === store.id)!;
      // menu 1 dead-lettered, menu 2 pending behind it, settings 1 delivered.
      expect(row).toMatchObject({
        online: true,
        softwareVersion: '3.1.0',
        outboxDepth: 4,
        commands: { pending: 2, failed: 0, deadLettered: 1 },
        node: { id: node.nodeId, status: 'ACTIVE' },
      });
      expect(row.domains.menu).toEqual({ desiredRevision: 2, appliedRevision: 0, appliedAt: null, drift: true });
      expect(fleet.stores.map((s) => s.code)).toEqual([...fleet.stores.map((s) => s.code)].sort());
    });
  });
});
