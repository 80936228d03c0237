import request from 'supertest';
import { SYNC_DOMAINS } from '@app/contracts';
import { makeEvent, makeMenuItem, makeStoreRole, makeStoreUser } from '@app/testing';
import { EventStoreService } from '../event-store/event-store.service.js';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import type { CloudSigner } from '../../test/signed-commands.js';
import { trustedCloud } from '../../test/trusted-cloud.js';
import { StateService } from './state.service.js';

describe('state routes (edge)', () => {
  let edge: EdgeTestApp;
  let cloud: CloudSigner;

  beforeEach(async () => {
    edge = await startEdgeTestApp('state');
    cloud = await trustedCloud(edge);
  });

  afterEach(async () => {
    await edge.close();
  });

  const get = (path: string, token: string | null = cloud.token('device')) => {
    const req = request(edge.server).get(`/api/v1/${path}`);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };
  const apply = (command: object, ifMatch?: number) => {
    const req = request(edge.server)
      .post('/api/v1/commands/apply')
      .set('Authorization', `Bearer ${cloud.token('agent')}`);
    return (ifMatch === undefined ? req : req.set('If-Match', String(ifMatch))).send(command);
  };

  it('should serve each empty domain at revision 0 before any command', async () => {
    expect((await get('settings').expect(200)).body).toEqual({ revision: 0, values: {} });
    expect((await get('menu').expect(200)).body).toEqual({ revision: 0, items: [] });
    expect((await get('users').expect(200)).body).toEqual({ revision: 0, users: [] });
    expect((await get('roles', cloud.token('agent')).expect(200)).body).toEqual({ revision: 0, roles: [] });
  });

  it('should serve each domain with the revision its last command applied', async () => {
    await apply(cloud.command('SETTINGS_SNAPSHOT', { values: { tax: 20, 'receipt.footer': 'Thanks' } }, { revision: 3 })).expect(200);
    await apply(cloud.command('SETTINGS_PATCH', { values: { tax: null, currency: 'EUR' } }, { revision: 4, baseRevision: 3 }), 3).expect(200);
    await apply(
      cloud.command('ROLES_SNAPSHOT', { roles: [makeStoreRole(), makeStoreRole({ roleId: 'admin', name: 'Admin', permissions: ['*'] })] }, { revision: 2 }),
    ).expect(200);
    expect((await get('settings').expect(200)).body).toEqual({ revision: 4, values: { currency: 'EUR', 'receipt.footer': 'Thanks' } });
    expect((await get('roles').expect(200)).body).toEqual({
      revision: 2,
      roles: [makeStoreRole({ roleId: 'admin', name: 'Admin', permissions: ['*'] }), makeStoreRole()],
    });
    expect((await get('menu').expect(200)).body).toEqual({ revision: 0, items: [] });
  });

  it('should serve every registered domain at GET /state/:domain, the same as its alias route, users without PIN hashes', async () => {
    const pinHash = 'scrypt$14$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g';
    await apply(
      cloud.command(
        'USERS_SNAPSHOT',
        { users: [makeStoreUser({ userId: '0193a6f4-1c2d-7e3f-8a4b-5c6d7e8f9a0b', pinHash }), makeStoreUser({ userId: 'u-no-pin' })] },
        { revision: 5 },
      ),
    ).expect(200);
    await apply(cloud.command('MENU_SNAPSHOT', { items: [makeMenuItem(), makeMenuItem({ sku: 'COLA', station: 'bar' })] }, { revision: 2 })).expect(200);
    for (const domain of SYNC_DOMAINS) {
      const generic = await get(`state/${domain}`).expect(200);
      expect({ domain, body: generic.body }).toEqual({ domain, body: (await get(domain).expect(200)).body });
    }
    const users = (await get('state/users').expect(200)).body;
    expect(users).toEqual({
      revision: 5,
      users: [
        expect.objectContaining({ userId: '0193a6f4-1c2d-7e3f-8a4b-5c6d7e8f9a0b', hasPin: true }),
        expect.objectContaining({ userId: 'u-no-pin', hasPin: false }),
      ],
    });
    expect(JSON.stringify(users)).not.toContain('scrypt');
  });

  it('should answer 404 UNKNOWN_DOMAIN for a domain this hub does not have, naming the ones it has', async () => {
    for (const name of ['printers', 'MENU', 'toString', '__proto__', 'x'.repeat(300)]) {
      const res = await get(`state/${name}`).expect(404);
      expect(res.body).toEqual({
        statusCode: 404,
        code: 'UNKNOWN_DOMAIN',
        message: `this hub has no domain '${name.slice(0, 64)}'; it has settings, menu, users, roles`,
      });
    }
    await get('state/printers', null).expect(401);
  });

  it('should refuse a caller without a valid token of this realm', async () => {
    for (const path of ['settings', 'menu', 'users', 'roles', 'state/menu']) {
      expect((await get(path, null).expect(401)).body).toMatchObject({ code: 'UNAUTHORIZED' });
      await get(path, 'not-a-jwt').expect(401);
      expect((await get(path, cloud.token('device', 'till-9', { tenantId: 't-other', storeId: 's-001' })).expect(403)).body).toMatchObject({
        code: 'REALM_MISMATCH',
      });
    }
  });

  describe('stationForSku', () => {
    it('should route by the current menu, and know a sku that is not on it', async () => {
      const state = edge.app.get(StateService);
      expect(state.stationForSku('BURGER-1')).toBeUndefined();
      const items = [makeMenuItem(), makeMenuItem({ sku: 'COLA', station: 'bar' }), makeMenuItem({ sku: 'CAKE', station: null })];
      await apply(cloud.command('MENU_SNAPSHOT', { items }, { revision: 1 })).expect(200);
      expect(['BURGER-1', 'COLA', 'CAKE', 'NOPE'].map((sku) => state.stationForSku(sku))).toEqual(['kitchen', 'bar', null, undefined]);
      await apply(
        cloud.command('MENU_UPSERT_BATCH', { items: [makeMenuItem({ sku: 'COLA', station: 'kitchen' })], removeSkus: ['CAKE'] }, { revision: 2 }),
        1,
      ).expect(200);
      expect(['COLA', 'CAKE'].map((sku) => state.stationForSku(sku))).toEqual(['kitchen', undefined]);
    });

    it("should make the hub route order items to tickets by the menu, over the item's own station", async () => {
      await apply(
        cloud.command(
          'MENU_SNAPSHOT',
          { items: [makeMenuItem(), makeMenuItem({ sku: 'COLA', station: 'bar' }), makeMenuItem({ sku: 'CAKE', station: null })] },
          { revision: 1 },
        ),
      ).expect(200);
      const order = makeEvent({
        payload: {
          items: [
            { sku: 'BURGER-1', qty: 1 },
            { sku: 'COLA', qty: 2, station: 'kitchen' },
            { sku: 'CAKE', qty: 1, station: 'kitchen' },
          ],
        },
      });
      const ack = await edge.app.get(EventStoreService).append(order, { deviceId: 'till-1', role: 'device', origin: 'device' });
      expect(ack).toMatchObject({ ok: true });
      const kitchen = await get('tickets?station=kitchen').expect(200);
      const bar = await get('tickets?station=bar').expect(200);
      expect(kitchen.body.tickets.map((t: { items: unknown[] }) => t.items)).toEqual([[expect.objectContaining({ sku: 'BURGER-1', qty: 1 })]]);
      expect(bar.body.tickets.map((t: { items: unknown[] }) => t.items)).toEqual([[expect.objectContaining({ sku: 'COLA', qty: 2 })]]);
    });
  });
});
