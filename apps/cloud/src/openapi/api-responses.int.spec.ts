import type { Response } from 'supertest';
import type { z } from 'zod';
import { uuidv7, type CommandEnvelope } from '@app/contracts';
import { makeEvent, makeMenuItem } from '@app/testing';
import { fetchApiDocument, operationsOf } from '../../test/api-document.js';
import { ackFailed, ackOk, CloudApi } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { listRoutes } from '../auth/route-policy.js';
import { documentedResponses } from './api-responses.js';
import { toOpenApiPath } from './route-docs.js';

/**
 * Every operation of the document called as its clients call it, each answer checked against the
 * zod schema the document publishes for its status: nothing missing, nothing of another type,
 * and no field the schema does not name.
 */
describe('the answers of the cloud against its OpenAPI document', () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let anyone: CloudApi;
  let schemas: Map<string, Map<number, z.ZodType>>;
  const checked = new Set<string>();

  beforeAll(async () => {
    cloud = await startCloudTestApp('api-responses');
    make = new CloudFactories(cloud.app);
    anyone = new CloudApi(cloud.server);
    schemas = new Map(
      listRoutes(cloud.app).map((route) => [
        `${route.method} ${toOpenApiPath(route.path)}`,
        new Map(documentedResponses(route.handlerFunction).map((r) => [r.status ?? route.successStatus, r.schema])),
      ]),
    );
  });

  afterAll(async () => {
    await cloud.close();
  });

  /** The body of a documented success, once its schema has accepted exactly it. */
  async function answer<T = Record<string, unknown>>(op: string, call: Promise<Response> | Response): Promise<T> {
    const res = await call;
    const schema = schemas.get(op)?.get(res.status);
    if (!schema) throw new Error(`${op} answered ${res.status}, which it does not document: ${JSON.stringify(res.body)}`);
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) throw new Error(`${op} answered a body its schema refuses: ${parsed.error.message}`);
    // zod drops what a schema does not name: a field the document forgot shows up here.
    expect([op, parsed.data]).toEqual([op, res.body]);
    checked.add(op);
    return res.body as T;
  }

  it('should answer every operation with exactly the schema it documents', async () => {
    const tenant = await make.tenant({ name: 'Brasserie Saint-Germain-des-Prés Holdings' });
    const operator = await make.operator(tenant, { email: `ops-${uuidv7()}@brasserie.example.com`, displayName: 'Amélie Poulain-Dubois' });
    const login = await answer<{ accessToken: string }>(
      'POST /api/v1/auth/login',
      anyone.post('/api/v1/auth/login', { email: operator.email, password: operator.password }),
    );
    const admin = anyone.as(login.accessToken);
    await answer('GET /api/v1/auth/me', admin.get('/api/v1/auth/me'));

    const store = await answer<{ id: string }>(
      'POST /api/v1/stores',
      admin.post('/api/v1/stores', { code: 'PAR-06-SG', name: 'Saint-Germain, 172 boulevard Saint-Germain (terrasse)', timezone: 'Europe/Paris' }),
    );
    const bootstrap = await answer<{ token: string }>(
      'POST /api/v1/stores/{storeId}/nodes/bootstrap',
      admin.post(`/api/v1/stores/${store.id}/nodes/bootstrap`, { ttlSeconds: 3600 }),
    );
    const registered = await answer<{ nodeId: string; nodeSecret: string; accessToken: string }>(
      'POST /api/v1/nodes/register',
      anyone.post('/api/v1/nodes/register', { bootstrapToken: bootstrap.token, hostname: 'edge-par-06-sg.lan', softwareVersion: '1.4.2' }),
    );
    const node = anyone.as(registered.accessToken);
    await answer('POST /api/v1/nodes/token', anyone.post('/api/v1/nodes/token', { nodeId: registered.nodeId, nodeSecret: registered.nodeSecret }).expect(200));
    await answer('GET /api/v1/keys', anyone.get('/api/v1/keys'));
    const heartbeat = {
      softwareVersion: '1.4.2',
      appliedRevisions: { settings: 0, menu: 0, users: 0, roles: 0 },
      outboxDepth: 3,
      hubSeq: 17,
      cloudCursor: 0,
      edgeReachable: true,
      lastCloudSyncAt: new Date().toISOString(),
    };
    await answer('POST /api/v1/nodes/heartbeat', node.post('/api/v1/nodes/heartbeat', heartbeat));
    await answer('GET /api/v1/stores', admin.get('/api/v1/stores'));
    await answer('GET /api/v1/stores/{storeId}', admin.get(`/api/v1/stores/${store.id}`));
    await answer('GET /api/v1/stores/{storeId}/nodes', admin.get(`/api/v1/stores/${store.id}/nodes`));

    const menu = await answer<{ commandId: string }>(
      'POST /api/v1/stores/{storeId}/revisions',
      admin.post(`/api/v1/stores/${store.id}/revisions`, {
        domain: 'menu',
        payload: { items: [makeMenuItem({ name: 'Croque-monsieur à la truffe noire du Périgord', priceCents: 1_850 })] },
      }),
    );
    const fleet = await answer<{ revisions: { commandId: string }[] }>(
      'POST /api/v1/revisions',
      admin.post('/api/v1/revisions', { storeIds: [store.id], domain: 'settings', payload: { values: { currency: 'EUR' } } }),
    );
    const settings = fleet.revisions[0]!.commandId;
    await answer('GET /api/v1/stores/{storeId}/revisions/latest', admin.get(`/api/v1/stores/${store.id}/revisions/latest`));
    await answer('GET /api/v1/stores/{storeId}/revisions/{domain}/latest', admin.get(`/api/v1/stores/${store.id}/revisions/menu/latest`));

    const { commands } = await answer<{ commands: CommandEnvelope[] }>('GET /api/v1/nodes/commands', node.get('/api/v1/nodes/commands?wait=0'));
    expect(commands.map((c) => c.commandId).sort()).toEqual([menu.commandId, settings].sort());
    await answer(
      'POST /api/v1/commands/{commandId}/ack',
      node.post(`/api/v1/commands/${menu.commandId}/ack`, ackOk(commands.find((c) => c.commandId === menu.commandId)!)),
    );
    await answer(
      'POST /api/v1/commands/{commandId}/ack',
      node.post(`/api/v1/commands/${settings}/ack`, ackFailed(settings, 'EDGE_UNAVAILABLE', 'the hub restarted while applying')),
    );
    await answer('GET /api/v1/commands', admin.get('/api/v1/commands?limit=1'));
    await answer('GET /api/v1/stores/{storeId}/commands', admin.get(`/api/v1/stores/${store.id}/commands?status=ACKED`));
    await answer('GET /api/v1/commands/{commandId}', admin.get(`/api/v1/commands/${menu.commandId}`));
    await answer('POST /api/v1/commands/{commandId}/retry', admin.post(`/api/v1/commands/${settings}/retry`, { reason: 'the hub is back: send it again' }));
    const bulk = await answer<{ skipped: unknown[] }>(
      'POST /api/v1/commands/retry',
      admin.post('/api/v1/commands/retry', { commandIds: [menu.commandId, settings], reason: 'sweep' }),
    );
    expect(bulk.skipped).toHaveLength(2);

    const realm = { tenantId: tenant.id, storeId: store.id };
    const events = [
      makeEvent({ ...realm, aggregateId: `order-${uuidv7()}` }),
      makeEvent({ ...realm, type: 'order.paid', aggregateId: `order-${uuidv7()}`, version: 3, payload: { totalCents: 4_250, method: 'card' } }),
    ];
    await answer('POST /api/v1/events/ingest', node.post('/api/v1/events/ingest', { events }));
    const delivery = makeEvent({
      ...realm,
      type: 'inventory.adjusted',
      aggregateType: 'inventory',
      aggregateId: 'sku-FARINE-T65',
      payload: { sku: 'FARINE-T65', delta: 25, reason: 'delivery' },
    });
    await answer('POST /api/v1/stores/{storeId}/events', admin.post(`/api/v1/stores/${store.id}/events`, { events: [delivery] }));
    await answer('GET /api/v1/nodes/events', node.get('/api/v1/nodes/events?after=0&limit=10'));
    await answer('GET /api/v1/stores/{storeId}/events', admin.get(`/api/v1/stores/${store.id}/events`));
    await answer('GET /api/v1/stores/{storeId}/sales', admin.get(`/api/v1/stores/${store.id}/sales`));
    await answer('GET /api/v1/stores/{storeId}/projections/dead-letters', admin.get(`/api/v1/stores/${store.id}/projections/dead-letters?limit=10`));
    await answer('POST /api/v1/stores/{storeId}/device-tokens', admin.post(`/api/v1/stores/${store.id}/device-tokens`, { deviceId: 'till-terrasse-02' }));
    await answer('GET /api/v1/audit', admin.get(`/api/v1/audit?storeId=${store.id}`));
    await answer(
      'POST /api/v1/nodes/{nodeId}/revoke',
      admin.post(`/api/v1/nodes/${registered.nodeId}/revoke`, { reason: 'edge box replaced after water damage' }),
    );
    await answer('GET /healthz', anyone.get('/healthz'));

    // A new operation must join this walk.
    const doc = await fetchApiDocument(cloud.server);
    expect(
      operationsOf(doc)
        .map((op) => op.key)
        .filter((key) => !checked.has(key)),
    ).toEqual([]);
  });
});
