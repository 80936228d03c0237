import {
  createRedisPrefix,
  createTempDir,
  createTestDatabase,
  deleteRedisPrefix,
  freePort,
  startAppProcess,
  testRedisUrl,
  waitFor,
  type AppProcess,
  type TempDir,
  type TestDatabase,
} from '@app/testing';

/** The README's run command, after its install and build steps: the whole product on fresh data. */
describe('npm run demo', () => {
  let db: TestDatabase;
  let tmp: TempDir;
  let demo: AppProcess;
  const redisPrefix = createRedisPrefix('demo');
  let cloudPort: number;
  let edgePort: number;

  beforeAll(async () => {
    db = await createTestDatabase('demo', { migrate: false });
    tmp = await createTempDir('demo');
    [cloudPort, edgePort] = [await freePort(), await freePort()];
    demo = await startAppProcess({
      name: 'demo',
      entry: 'dist/scripts/demo/demo.main.js',
      env: {
        CLOUD_PORT: String(cloudPort),
        EDGE_PORT: String(edgePort),
        DATABASE_URL: db.url,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: redisPrefix,
        DEMO_DATA_DIR: tmp.path,
        DEMO_ORDER_INTERVAL_MS: '500',
        HEARTBEAT_INTERVAL_SECONDS: '1',
      },
      readyOutput: /demo ready/,
      readyTimeoutMs: 60_000,
    });
  });

  afterAll(async () => {
    await demo?.stop();
    await Promise.all([db.drop(), tmp.remove(), deleteRedisPrefix(redisPrefix)]);
  });

  it('should say where everything listens and with which demo admin', () => {
    expect(demo.output()).toContain(`backoffice   http://127.0.0.1:${cloudPort}/`);
    expect(demo.output()).toContain(`store edge   http://127.0.0.1:${edgePort}`);
    expect(demo.output()).toMatch(/admin operator admin@demo\.local \/ \S+/);
  });

  it('should serve the cloud, the backoffice and the store edge', async () => {
    expect((await fetch(`http://127.0.0.1:${cloudPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${edgePort}/healthz`)).status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${cloudPort}/`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('POS Fleet');
  });

  it('should seed an operator per role and the first revision of every domain of the demo store', async () => {
    expect(demo.output()).toMatch(/menu@demo\.local \(MENU_EDITOR\), support@demo\.local \(SUPPORT\), viewer@demo\.local \(VIEWER\)/);
    const password = /admin operator admin@demo\.local \/ (\S+)/.exec(demo.output())![1]!;
    const login = await fetch(`http://127.0.0.1:${cloudPort}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'menu@demo.local', password }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const fleet = (await (await fetch(`http://127.0.0.1:${cloudPort}/api/v1/stores`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as {
      stores: { code: string; domains: Record<string, { desiredRevision: number }> }[];
    };
    const store = fleet.stores.find((s) => s.code === 'S001')!;
    expect(Object.values(store.domains).map((d) => d.desiredRevision)).toEqual([1, 1, 1, 1]);
  });

  it('should run the whole loop: the agent applies the published revisions, the till orders, the kitchen cooks, the orders reach the cloud', async () => {
    const password = /admin operator admin@demo\.local \/ (\S+)/.exec(demo.output())![1]!;
    const login = await fetch(`http://127.0.0.1:${cloudPort}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.local', password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const get = async <T>(route: string): Promise<T> =>
      (await (await fetch(`http://127.0.0.1:${cloudPort}${route}`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as T;
    const store = (await get<{ stores: { id: string; code: string }[] }>('/api/v1/stores')).stores.find((s) => s.code === 'S001')!;

    // The seeded revisions went down: applied at the edge, reported back, no drift.
    await waitFor(
      async () => {
        const latest = await get<{ domains: Record<string, { desiredRevision: number; appliedRevision: number }> }>(
          `/api/v1/stores/${store.id}/revisions/latest`,
        );
        return Object.values(latest.domains).every((d) => d.appliedRevision === d.desiredRevision && d.desiredRevision >= 1);
      },
      { timeoutMs: 20_000, what: 'the seeded revisions to be applied' },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n--- demo output ---\n${demo.output()}`);
    });

    // Orders placed by the demo till are in the cloud, and the kitchen display completed tickets.
    const events = await waitFor(
      async () => {
        const page = await get<{ events: { type: string; actor: { deviceId: string }; origin: string }[] }>(`/api/v1/stores/${store.id}/events?limit=1000`);
        const types = new Set(page.events.filter((e) => e.origin === 'hub').map((e) => `${e.actor.deviceId} ${e.type}`));
        return types.has('till-1 order.created') && types.has('till-1 order.paid') && types.has('kds-1 kds.ticket.done') ? page.events : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'orders and tickets from the demo devices in the cloud' },
    );
    expect(events.length).toBeGreaterThan(0);
    await waitFor(
      () =>
        /\[till-1\] order \d+ placed and paid/.test(demo.output()) &&
        /\[kds-1 \] ticket done/.test(demo.output()) &&
        /\[cloud \] order paid .* arrived from the store/.test(demo.output()),
      {
        timeoutMs: 10_000,
        what: 'the demo to print the loop',
      },
    );
  });

  it('should stop everything on Ctrl-C', async () => {
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${cloudPort}/healthz`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${edgePort}/healthz`)).rejects.toThrow();
  });
});
