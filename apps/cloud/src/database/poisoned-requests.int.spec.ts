import { uuidv7, type HeartbeatRequest, type JsonValue } from '@app/contracts';
import { makeEvent, waitFor } from '@app/testing';
import { CloudApi, pollCommands, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { SqlPool } from './sql-pool.js';

const POOL_SIZE = 5;

const heartbeat = (patch: Partial<Record<keyof HeartbeatRequest, unknown>> = {}) => ({
  softwareVersion: '1.0.0',
  appliedRevisions: { settings: 0, menu: 0, users: 0, roles: 0 },
  outboxDepth: 0,
  hubSeq: 0,
  cloudCursor: 0,
  edgeReachable: true,
  ...patch,
});

function nested(levels: number): JsonValue {
  let value: JsonValue = 'bottom';
  for (let i = 0; i < levels; i += 1) value = { level: value };
  return value;
}

/**
 * Values that used to reach the driver and the database (issue 13, findings 1 and 2): a date
 * mysql2 cannot serialise leaked a pool connection per request, and the others answered 500.
 */
describe('poisoned requests', () => {
  let cloud: CloudTestApp;
  let anyone: CloudApi;
  let admin: CloudApi;
  let login: { email: string; password: string };
  let tenantId: string;
  let storeId: string;
  let node: RegisteredNode;

  beforeAll(async () => {
    cloud = await startCloudTestApp('poisoned', { DATABASE_POOL_SIZE: String(POOL_SIZE) });
    const make = new CloudFactories(cloud.app);
    const tenant = await make.tenant({ name: 'Poisoned Wells Hospitality Group — western franchise territory' });
    const operator = await make.operator(tenant, { email: `night.shift.supervisor.${Date.now()}@poisoned-wells-hospitality.example.com` });
    anyone = new CloudApi(cloud.server);
    admin = anyone.as(make.tokenFor(operator));
    login = { email: operator.email, password: operator.password };
    const store = await make.store(tenant, { name: 'Bristol Harbourside — kiosk 3, by the ferry landing' });
    tenantId = tenant.id;
    storeId = store.id;
    node = await registerNode(anyone, admin, store.id);
  });

  afterAll(async () => {
    await cloud?.close();
  });

  const event = (patch: Record<string, unknown>) => ({ ...makeEvent({ tenantId, storeId, aggregateId: `order-${uuidv7()}` }), ...patch });
  const settled = async () => {
    const pool = cloud.app.get(SqlPool);
    await waitFor(() => pool.stats().free === pool.stats().all && pool.stats().queued === 0, { timeoutMs: 5_000, what: 'the pool to be idle' });
    return pool.stats();
  };

  it('should give back every pool connection after 100 poisoned ingests, and keep login, /stores, /metrics and /healthz answering', async () => {
    // Open every connection of the pool first (a leak shows as a connection that never comes back).
    await Promise.all(Array.from({ length: POOL_SIZE * 2 }, () => node.api.post('/api/v1/events/ingest', { events: [event({})] }).expect(200)));
    const before = await settled();
    expect(before).toEqual({ all: POOL_SIZE, free: POOL_SIZE, queued: 0 });

    const poisons: Record<string, unknown>[] = [
      { at: '0000-01-01T00:00:00+14:00' }, // a date mysql2 throws on (RangeError)
      { at: '-000001-06-01T00:00:00Z' },
      { at: '9999-12-31T23:59:59-14:00' }, // stored as a zero date before
      { version: 2 ** 40 }, // clamped to 2147483647 before
      { aggregateId: 'order-\ud800' }, // canonical JSON threw
      { payload: { items: [], deep: nested(40) } }, // json_valid refused
    ];
    for (let wave = 0; wave < 10; wave += 1) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          node.api.post('/api/v1/events/ingest', { events: [event(poisons[(wave * 10 + i) % poisons.length]!), event({})] }).timeout(10_000),
        ),
      );
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ accepted: 1, rejected: [{ index: 0, code: 'INVALID' }] });
      }
    }

    expect(await settled()).toEqual(before);
    await anyone.post('/api/v1/auth/login', login).expect(200);
    await admin.get('/api/v1/stores').expect(200);
    await anyone.get('/metrics').expect(200);
    expect((await anyone.get('/healthz').expect(200)).body).toMatchObject({ status: 'ok', checks: { mysql: { status: 'up' } } });
  });

  it('should answer a revision publish with a lone surrogate with 400 naming the field', async () => {
    const res = await admin
      .post(`/api/v1/stores/${storeId}/revisions`, { domain: 'settings', payload: { values: { receiptFooter: 'Thank you \ud800 for visiting' } } })
      .expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: 'payload.values.receiptFooter', message: expect.stringContaining('surrogate') })] },
    });
    const key = await admin.post(`/api/v1/stores/${storeId}/revisions`, { domain: 'settings', payload: { values: { ['footer\udc00']: 'x' } } }).expect(400);
    expect(key.body.details.issues[0].path).toContain('payload.values.footer');
  });

  it('should answer a heartbeat with lastCloudSyncAt out of range, or counts past their columns, with 400 naming the field', async () => {
    for (const [patch, path] of [
      [{ lastCloudSyncAt: '0000-01-01T00:00:00+14:00' }, 'lastCloudSyncAt'],
      [{ lastCloudSyncAt: '9999-12-31T23:59:59-14:00' }, 'lastCloudSyncAt'],
      [{ outboxDepth: 2 ** 40 }, 'outboxDepth'],
      [{ appliedRevisions: { settings: 2 ** 40, menu: 0, users: 0, roles: 0 } }, 'appliedRevisions.settings'],
    ] as const) {
      const res = await node.api.post('/api/v1/nodes/heartbeat', heartbeat(patch)).expect(400);
      expect([path, res.body.code, res.body.details.issues.map((i: { path: string }) => i.path)]).toEqual([path, 'VALIDATION_FAILED', [path]]);
    }
    await node.api.post('/api/v1/nodes/heartbeat', heartbeat({ lastCloudSyncAt: new Date().toISOString() })).expect(200);
  });

  it('should answer an ack with appliedRevision 2^40 with 400 naming the field, and take the real one after', async () => {
    const published = await admin.post(`/api/v1/stores/${storeId}/revisions`, { domain: 'settings', payload: { values: { currency: 'GBP' } } }).expect(201);
    const [command] = await pollCommands(node.api);
    expect(command?.commandId).toBe(published.body.commandId);
    const ack = { commandId: command!.commandId, status: 'ACKED', appliedAt: new Date().toISOString() };
    const res = await node.api.post(`/api/v1/commands/${command!.commandId}/ack`, { ...ack, appliedRevision: 2 ** 40 }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ path: 'appliedRevision' })] } });
    await node.api.post(`/api/v1/commands/${command!.commandId}/ack`, { ...ack, appliedRevision: command!.revision }).expect(200);
  });

  it('should never answer 500 to a lone surrogate in a free-text field of any other route', async () => {
    const lone = 'Kiosk \ud800 by the ferry';
    const answers = {
      'POST /api/v1/stores name': await admin.post('/api/v1/stores', { code: `K${Date.now() % 100_000}`, name: lone }),
      'POST /api/v1/nodes/heartbeat softwareVersion': await node.api.post('/api/v1/nodes/heartbeat', heartbeat({ softwareVersion: lone, hostname: lone })),
      'POST /api/v1/auth/login email': await anyone.post('/api/v1/auth/login', { email: `a\udc00@example.com`, password: lone }),
      'POST /api/v1/stores/:id/device-tokens deviceId': await admin.post(`/api/v1/stores/${storeId}/device-tokens`, { deviceId: lone }),
    };
    for (const [route, res] of Object.entries(answers)) expect([route, res.status < 500 ? 'ok' : JSON.stringify(res.body)]).toEqual([route, 'ok']);
  });
});
