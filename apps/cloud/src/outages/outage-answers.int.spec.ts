import { makeEvent, makeMenuItem, RedisServer, TcpProxy, waitFor } from '@app/testing';
import type { HeartbeatRequest } from '@app/contracts';
import { CloudApi, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';

const heartbeat: HeartbeatRequest = {
  softwareVersion: '1.0.0',
  appliedRevisions: { settings: 0, menu: 0, users: 0, roles: 0 },
  outboxDepth: 0,
  hubSeq: 0,
  cloudCursor: 0,
  edgeReachable: true,
};

interface Setup {
  anyone: CloudApi;
  admin: CloudApi;
  login: { email: string; password: string };
  storeId: string;
  tenantId: string;
  node: RegisteredNode;
}

async function setUp(cloud: CloudTestApp): Promise<Setup> {
  const make = new CloudFactories(cloud.app);
  const tenant = await make.tenant({ name: 'Outage & Sons Trading Company — northern region franchise' });
  const operator = await make.operator(tenant, { email: `operations.manager.northern-region.${Date.now()}@outage-and-sons.example.com` });
  const anyone = new CloudApi(cloud.server);
  const admin = anyone.as(make.tokenFor(operator));
  const store = await make.store(tenant, { name: 'Leeds Trinity Kitchen — unit 14, lower ground floor' });
  const node = await registerNode(anyone, admin, store.id);
  return { anyone, admin, login: { email: operator.email, password: operator.password }, storeId: store.id, tenantId: tenant.id, node };
}

/** Every route family the brief names: an operator's read, the node's loop, renewal and login. */
function routes(s: Setup) {
  const event = () => makeEvent({ tenantId: s.tenantId, storeId: s.storeId, aggregateId: `order-${Math.random().toString(36).slice(2)}` });
  return {
    'GET /api/v1/stores': () => s.admin.get('/api/v1/stores'),
    'POST /api/v1/nodes/heartbeat': () => s.node.api.post('/api/v1/nodes/heartbeat', heartbeat),
    'GET /api/v1/nodes/commands': () => s.node.api.get('/api/v1/nodes/commands?wait=1'),
    'POST /api/v1/events/ingest': () => s.node.api.post('/api/v1/events/ingest', { events: [event()] }),
    'POST /api/v1/nodes/token': () => s.anyone.post('/api/v1/nodes/token', { nodeId: s.node.nodeId, nodeSecret: s.node.nodeSecret }),
    'POST /api/v1/auth/login': () => s.anyone.post('/api/v1/auth/login', s.login),
  };
}

async function timed<T>(call: () => PromiseLike<T>): Promise<{ res: T; ms: number }> {
  const started = performance.now();
  const res = await call();
  return { res, ms: performance.now() - started };
}

describe('outage answers', () => {
  describe('the database cut off (connections refused)', () => {
    let cloud: CloudTestApp;
    let proxy: TcpProxy;
    let s: Setup;

    beforeAll(async () => {
      cloud = await startCloudTestApp(
        'outage-db',
        {},
        {
          databaseUrl: async (url) => {
            const front = await TcpProxy.inFrontOf(url);
            proxy = front.proxy;
            return front.url;
          },
        },
      );
      s = await setUp(cloud);
    });

    afterAll(async () => {
      await proxy?.restore();
      await cloud?.close();
      await proxy?.close();
    });

    it('should answer 503 DATABASE_UNAVAILABLE with Retry-After on every route, never 401 or 500, and serve the same tokens once it is back', async () => {
      for (const [route, call] of Object.entries(routes(s))) expect([route, (await call()).status]).toEqual([route, 200]);
      await proxy.cut();
      for (const [route, call] of Object.entries(routes(s))) {
        const { res, ms } = await timed(call);
        expect([route, res.status, res.body]).toEqual([
          route,
          503,
          {
            statusCode: 503,
            code: 'DATABASE_UNAVAILABLE',
            message: expect.stringContaining('the database cannot be reached'),
            details: { retryAfterSeconds: 5 },
          },
        ]);
        expect([route, res.headers['retry-after']]).toEqual([route, '5']);
        // Prisma's pool gives up after 3 s; the write path's pool is refused at once.
        expect([route, ms < 4_500]).toEqual([route, true]);
      }
      const health = await s.anyone.get('/healthz').expect(503);
      expect(health.body).toMatchObject({
        status: 'unavailable',
        code: 'DATABASE_UNAVAILABLE',
        checks: { mysql: { status: 'down' }, mysqlReads: { status: 'down' }, redis: { status: 'up' } },
      });

      await proxy.restore();
      await waitFor(async () => (await s.anyone.get('/healthz')).status === 200, { timeoutMs: 10_000, what: 'health after the database returned' });
      for (const [route, call] of Object.entries(routes(s))) expect([route, (await call()).status]).toEqual([route, 200]);
    });
  });

  describe('Redis killed', () => {
    let redis: RedisServer;
    let cloud: CloudTestApp;
    let s: Setup;

    beforeAll(async () => {
      redis = await RedisServer.start();
      cloud = await startCloudTestApp('outage-redis', { REDIS_URL: redis.url, RECOVERY_SWEEP_SECONDS: '1', COMMAND_ACK_TIMEOUT_SECONDS: '2' });
      s = await setUp(cloud);
    });

    afterAll(async () => {
      await cloud?.close();
      await redis?.stop();
    });

    it('should keep every route working without waiting on Redis, log in at once, and say REDIS_UNAVAILABLE on /healthz', async () => {
      await redis.kill();
      await waitFor(async () => (await s.anyone.get('/healthz')).body.code === 'REDIS_UNAVAILABLE', { timeoutMs: 5_000, what: 'health to notice' });
      for (const [route, call] of Object.entries(routes(s))) {
        const { res, ms } = await timed(call);
        expect([route, res.status]).toEqual([route, 200]);
        // The long-poll holds for its 1 s; nothing else waits for Redis to answer.
        expect([route, ms < (route.includes('commands') ? 1_800 : 800)]).toEqual([route, true]);
      }
      // Login, repeatedly and with wrong passwords too: no Redis timeout per attempt.
      for (let i = 0; i < 5; i += 1) {
        const { res, ms } = await timed(() => s.anyone.post('/api/v1/auth/login', { ...s.login, password: 'not-the-password' }));
        expect(res.status).toBe(401);
        expect(ms).toBeLessThan(800);
      }
      const { res: health, ms: healthMs } = await timed(() => s.anyone.get('/healthz'));
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', code: 'REDIS_UNAVAILABLE', checks: { mysql: { status: 'up' }, redis: { status: 'down' } } });
      expect(healthMs).toBeLessThan(500);
    });

    it('should time out, once Redis is back, a command delivered while its timer could not be armed', async () => {
      const publish = await s.admin.post(`/api/v1/stores/${s.storeId}/revisions`, {
        domain: 'menu',
        payload: { items: [makeMenuItem({ sku: 'PIE-AND-MASH' })] },
      });
      expect(publish.status).toBe(201);
      const commandId = publish.body.commandId as string;
      const delivered = await s.node.api.get('/api/v1/nodes/commands?wait=0').expect(200);
      expect(delivered.body.commands.map((c: { commandId: string }) => c.commandId)).toContain(commandId);
      await redis.start();
      const prisma = cloud.app.get(PrismaService);
      await waitFor(() => prisma.syncCommandLog.findFirst({ where: { commandId, event: 'ACK_TIMEOUT' } }), {
        timeoutMs: 15_000,
        what: 'the ack timeout after Redis returned',
      });
      await waitFor(async () => (await s.anyone.get('/healthz')).status === 200, { timeoutMs: 5_000, what: 'health after Redis returned' });
    });
  });
});
