import { OPERATOR_ROLES, type OperatorRoleName } from '@app/contracts';
import { makeEvent, makeMenuItem, makeStoreRole } from '@app/testing';
import { ackFailed, ackOk, CloudApi, pollCommands, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { listRoutes } from '../auth/route-policy.js';
import { PrismaService } from '../database/prisma.service.js';
import type { StoreRow } from '../stores/stores.repository.js';
import type { TenantRow } from '../tenants/tenants.repository.js';

interface Victim {
  tenant: TenantRow;
  store: StoreRow;
  node: RegisteredNode;
  deadLettered: string;
  acked: string;
}

type Request = [method: 'get' | 'post', path: string, body?: unknown];
type Check = (res: { status: number; body: Record<string, unknown> & { [k: string]: unknown } }, victim: Victim) => void;

const notFound: Check = (res) => expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
const listsNothingOf =
  (field: string, key: string): Check =>
  (res, victim) => {
    expect(res.status).toBe(200);
    const ids = (res.body[field] as Record<string, unknown>[]).map((row) => row[key]);
    expect(ids).not.toContain(victim.store.id);
    expect(ids).not.toContain(victim.deadLettered);
    expect(JSON.stringify(res.body)).not.toContain(victim.store.id);
  };

/**
 * Every operator route, called by another tenant's ADMIN with the victim's ids. Routes that name a
 * resource answer 404 exactly as for an id that does not exist; routes that list answer only the
 * caller's own data.
 */
const CROSS_TENANT: Record<string, { request: (v: Victim) => Request; check: Check }> = {
  'GET /api/v1/auth/me': {
    request: () => ['get', '/api/v1/auth/me'],
    check: (res, v) => expect([res.status, res.body.tenantId === v.tenant.id]).toEqual([200, false]),
  },
  'GET /api/v1/stores': { request: () => ['get', '/api/v1/stores'], check: listsNothingOf('stores', 'id') },
  'POST /api/v1/stores': {
    request: (v) => ['post', '/api/v1/stores', { code: v.store.code, name: 'Same code, other tenant' }],
    check: (res, v) => expect([res.status, res.body.tenantId === v.tenant.id]).toEqual([201, false]),
  },
  'GET /api/v1/stores/:storeId': { request: (v) => ['get', `/api/v1/stores/${v.store.id}`], check: notFound },
  'POST /api/v1/stores/:storeId/nodes/bootstrap': { request: (v) => ['post', `/api/v1/stores/${v.store.id}/nodes/bootstrap`, {}], check: notFound },
  'GET /api/v1/stores/:storeId/nodes': { request: (v) => ['get', `/api/v1/stores/${v.store.id}/nodes`], check: notFound },
  'POST /api/v1/nodes/:nodeId/revoke': { request: (v) => ['post', `/api/v1/nodes/${v.node.nodeId}/revoke`, { reason: 'hostile' }], check: notFound },
  'POST /api/v1/stores/:storeId/revisions': {
    request: (v) => ['post', `/api/v1/stores/${v.store.id}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem({ priceCents: 1 })] } }],
    check: notFound,
  },
  'POST /api/v1/revisions': {
    request: (v) => ['post', '/api/v1/revisions', { storeIds: [v.store.id], domain: 'menu', payload: { items: [makeMenuItem({ priceCents: 1 })] } }],
    check: notFound,
  },
  'GET /api/v1/stores/:storeId/revisions/latest': { request: (v) => ['get', `/api/v1/stores/${v.store.id}/revisions/latest`], check: notFound },
  'GET /api/v1/stores/:storeId/revisions/:domain/latest': { request: (v) => ['get', `/api/v1/stores/${v.store.id}/revisions/menu/latest`], check: notFound },
  'GET /api/v1/commands': { request: () => ['get', '/api/v1/commands?limit=200'], check: listsNothingOf('commands', 'commandId') },
  'GET /api/v1/stores/:storeId/commands': { request: (v) => ['get', `/api/v1/stores/${v.store.id}/commands`], check: notFound },
  'GET /api/v1/commands/:commandId': { request: (v) => ['get', `/api/v1/commands/${v.acked}`], check: notFound },
  'POST /api/v1/commands/retry': {
    request: (v) => ['post', '/api/v1/commands/retry', { commandIds: [v.deadLettered], reason: 'hostile' }],
    check: (res, v) =>
      expect([res.status, res.body]).toEqual([200, { retried: [], skipped: [{ commandId: v.deadLettered, code: 'NOT_FOUND', message: expect.any(String) }] }]),
  },
  'POST /api/v1/commands/:commandId/retry': { request: (v) => ['post', `/api/v1/commands/${v.deadLettered}/retry`, { reason: 'hostile' }], check: notFound },
  'POST /api/v1/stores/:storeId/device-tokens': {
    request: (v) => ['post', `/api/v1/stores/${v.store.id}/device-tokens`, { deviceId: 'till-9' }],
    check: notFound,
  },
  'GET /api/v1/stores/:storeId/events': { request: (v) => ['get', `/api/v1/stores/${v.store.id}/events`], check: notFound },
  'POST /api/v1/stores/:storeId/events': {
    request: (v) => ['post', `/api/v1/stores/${v.store.id}/events`, { events: [makeEvent({ tenantId: v.tenant.id, storeId: v.store.id })] }],
    check: notFound,
  },
  'GET /api/v1/stores/:storeId/sales': { request: (v) => ['get', `/api/v1/stores/${v.store.id}/sales`], check: notFound },
  'GET /api/v1/stores/:storeId/projections/dead-letters': { request: (v) => ['get', `/api/v1/stores/${v.store.id}/projections/dead-letters`], check: notFound },
  'GET /api/v1/audit': { request: () => ['get', '/api/v1/audit?limit=200'], check: listsNothingOf('entries', 'storeId') },
};

/** Who may call each operator route (the role model). */
const READ = [...OPERATOR_ROLES];
const EXPECTED_ROLES: Record<string, readonly OperatorRoleName[]> = {
  'GET /api/v1/auth/me': READ,
  'GET /api/v1/stores': READ,
  'POST /api/v1/stores': ['ADMIN'],
  'GET /api/v1/stores/:storeId': READ,
  'POST /api/v1/stores/:storeId/nodes/bootstrap': ['ADMIN'],
  'GET /api/v1/stores/:storeId/nodes': READ,
  'POST /api/v1/nodes/:nodeId/revoke': ['ADMIN'],
  'POST /api/v1/stores/:storeId/revisions': ['ADMIN', 'MENU_EDITOR'],
  'POST /api/v1/revisions': ['ADMIN', 'MENU_EDITOR'],
  'GET /api/v1/stores/:storeId/revisions/latest': READ,
  'GET /api/v1/stores/:storeId/revisions/:domain/latest': READ,
  'GET /api/v1/commands': READ,
  'GET /api/v1/stores/:storeId/commands': READ,
  'GET /api/v1/commands/:commandId': READ,
  'POST /api/v1/commands/retry': ['ADMIN', 'SUPPORT'],
  'POST /api/v1/commands/:commandId/retry': ['ADMIN', 'SUPPORT'],
  'POST /api/v1/stores/:storeId/device-tokens': ['ADMIN'],
  'GET /api/v1/stores/:storeId/events': READ,
  'POST /api/v1/stores/:storeId/events': ['ADMIN'],
  'GET /api/v1/stores/:storeId/sales': READ,
  'GET /api/v1/stores/:storeId/projections/dead-letters': READ,
  'GET /api/v1/audit': READ,
};

describe('tenant isolation', () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;
  let victim: Victim;
  let attackerTenant: TenantRow;
  let attacker: CloudApi;

  /** Everything of the victim tenant a request could change. */
  async function snapshotOf(tenantId: string) {
    return {
      stores: await prisma.store.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
      nodes: await prisma.storeNode.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
      tokens: await prisma.nodeBootstrapToken.count({ where: { tenantId } }),
      domains: await prisma.storeDomainState.findMany({ where: { tenantId }, orderBy: [{ storeId: 'asc' }, { domain: 'asc' }] }),
      revisions: await prisma.syncRevision.count({ where: { tenantId } }),
      commands: await prisma.syncCommand.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
      logs: await prisma.syncCommandLog.count({ where: { tenantId } }),
      events: await prisma.ingestedEvent.count({ where: { tenantId } }),
      audit: await prisma.auditLog.count({ where: { tenantId } }),
    };
  }

  beforeAll(async () => {
    cloud = await startCloudTestApp('tenant-isolation');
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);

    const tenant = await make.tenant({ slug: 'victim' });
    const admin = anyone.as((await make.operatorWithToken(tenant)).token);
    const store = await make.store(tenant, { code: 'V001' });
    const node = await registerNode(anyone, admin, store.id);
    // Roles, which no test here publishes again: a later publish of its domain would supersede the dead letter.
    const roles = (await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'roles', payload: { roles: [makeStoreRole()] } }).expect(201)).body
      .commandId as string;
    const settings = (await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'settings', payload: { values: { a: 1 } } }).expect(201)).body
      .commandId as string;
    const delivered = await pollCommands(node.api, 0);
    await node.api.post(`/api/v1/commands/${roles}/ack`, ackFailed(roles, 'INVALID_PAYLOAD')).expect(200);
    await node.api.post(`/api/v1/commands/${settings}/ack`, ackOk(delivered.find((c) => c.commandId === settings)!)).expect(200);
    await node.api.post('/api/v1/events/ingest', { events: [makeEvent({ tenantId: tenant.id, storeId: store.id })] }).expect(200);
    victim = { tenant, store, node, deadLettered: roles, acked: settings };

    attackerTenant = await make.tenant({ slug: 'attacker' });
    attacker = anyone.as((await make.operatorWithToken(attackerTenant, 'ADMIN')).token);
    await make.store(attackerTenant, { code: 'A001' });
  });

  afterAll(async () => {
    await cloud.close();
  });

  it('should cover every operator route of the application', () => {
    const operatorRoutes = listRoutes(cloud.app)
      .filter((r) => r.policy?.kind === 'operator')
      .map((r) => `${r.method} ${r.path}`);
    expect(operatorRoutes.sort()).toEqual(Object.keys(CROSS_TENANT).sort());
    expect(Object.keys(EXPECTED_ROLES).sort()).toEqual(Object.keys(CROSS_TENANT).sort());
  });

  it("should refuse another tenant's ids on every operator route as unknown, and change nothing of theirs", async () => {
    const before = await snapshotOf(victim.tenant.id);
    for (const [route, { request, check }] of Object.entries(CROSS_TENANT)) {
      const [method, path, body] = request(victim);
      const res = await attacker.call(method, path, body);
      try {
        check(res as never, victim);
      } catch (error) {
        throw new Error(`${route}: ${(error as Error).message}`);
      }
    }
    for (const path of [`/api/v1/commands?storeId=${victim.store.id}`, `/api/v1/audit?storeId=${victim.store.id}`]) {
      const res = await attacker.get(path);
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
    expect(await snapshotOf(victim.tenant.id)).toEqual(before);
  });

  it('should answer an id that exists nowhere exactly like another tenant’s id', async () => {
    const foreign = await attacker.get(`/api/v1/stores/${victim.store.id}`).expect(404);
    const missing = await attacker.get('/api/v1/stores/no-such-store').expect(404);
    expect(foreign.body.message.replace(victim.store.id, 'ID')).toBe(missing.body.message.replace('no-such-store', 'ID'));
  });

  describe('roles', () => {
    it('should give each operator route exactly the roles of the issue', () => {
      const actual = Object.fromEntries(
        listRoutes(cloud.app)
          .filter((r) => r.policy?.kind === 'operator')
          .map((r) => [`${r.method} ${r.path}`, [...(r.policy as { roles: readonly string[] }).roles].sort()]),
      );
      expect(actual).toEqual(Object.fromEntries(Object.entries(EXPECTED_ROLES).map(([k, v]) => [k, [...v].sort()])));
    });

    it('should refuse every role a route does not allow, on the caller’s own data, changing nothing', async () => {
      // The victim tenant's own operators, on their own store: 403, never 404.
      const tokens = Object.fromEntries(
        await Promise.all(OPERATOR_ROLES.map(async (role) => [role, (await make.operatorWithToken(victim.tenant, role)).token] as const)),
      );
      const before = await snapshotOf(victim.tenant.id);
      let refused = 0;
      for (const [route, roles] of Object.entries(EXPECTED_ROLES)) {
        for (const role of OPERATOR_ROLES.filter((r) => !roles.includes(r))) {
          const [method, path, body] = CROSS_TENANT[route]!.request(victim);
          const res = await anyone.as(tokens[role]!).call(method, path, body);
          expect([route, role, res.status, res.body.code]).toEqual([route, role, 403, 'FORBIDDEN']);
          refused += 1;
        }
      }
      expect(refused).toBeGreaterThan(15);
      expect(await snapshotOf(victim.tenant.id)).toEqual(before);
    });

    it('should let a menu editor publish the menu and nothing else', async () => {
      const editor = anyone.as((await make.operatorWithToken(victim.tenant, 'MENU_EDITOR')).token);
      const refused = await editor.post(`/api/v1/stores/${victim.store.id}/revisions`, { domain: 'settings', payload: { values: { a: 2 } } }).expect(403);
      expect(refused.body).toMatchObject({ code: 'FORBIDDEN', message: 'a menu editor may only publish the menu' });
      await editor.post(`/api/v1/stores/${victim.store.id}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem({ sku: 'NEW-1' })] } }).expect(201);
    });

    it('should let support retry a command and a viewer only read', async () => {
      const supportToken = (await make.operatorWithToken(victim.tenant, 'SUPPORT')).token;
      const viewerToken = (await make.operatorWithToken(victim.tenant, 'VIEWER')).token;
      await anyone.as(viewerToken).get(`/api/v1/commands/${victim.deadLettered}`).expect(200);
      await anyone.as(viewerToken).post(`/api/v1/commands/${victim.deadLettered}/retry`, {}).expect(403);
      await anyone.as(supportToken).post(`/api/v1/commands/${victim.deadLettered}/retry`, { reason: 'checked' }).expect(200);
    });
  });
});
