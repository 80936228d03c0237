import path from 'node:path';
import { generateEs256KeyPair } from '@app/crypto';
import {
  createRedisPrefix,
  createTempDir,
  createTestDatabase,
  deleteRedisPrefix,
  freePort,
  startAppProcess,
  testRedisUrl,
  type AppProcess,
  type TempDir,
  type TestDatabase,
} from '@app/testing';

describe('the built apps as processes', () => {
  let db: TestDatabase;
  let tmp: TempDir;
  const redisPrefix = createRedisPrefix('boot');
  const running: AppProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('boot');
    tmp = await createTempDir('boot');
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await Promise.all([db.drop(), tmp.remove(), deleteRedisPrefix(redisPrefix)]);
  });

  it('should start the cloud and answer /healthz with MySQL and Redis up', async () => {
    const port = await freePort();
    const cloud = await startAppProcess({
      name: 'cloud',
      entry: 'dist/apps/cloud/src/main.js',
      env: { PORT: String(port), DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: redisPrefix, DEV_KEYS_FILE: path.join(tmp.path, 'keys.json') },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    running.push(cloud);
    const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { checks: Record<string, { status: string }> };
    expect(body.checks).toMatchObject({ mysql: { status: 'up' }, redis: { status: 'up' } });
  });

  it('should start the edge on its own data directory and answer /healthz', async () => {
    const port = await freePort();
    const edge = await startAppProcess({
      name: 'edge',
      entry: 'dist/apps/edge/src/main.js',
      env: {
        PORT: String(port),
        TENANT_ID: 't-demo',
        STORE_ID: 's-001',
        CLUSTER_PUBLIC_KEY_BASE64: generateEs256KeyPair().publicKeyBase64,
        EDGE_DATA_DIR: path.join(tmp.path, 'edge'),
        MDNS_ENABLED: 'false',
      },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    running.push(edge);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('should start the agent with no HTTP server of its own', async () => {
    const agent = await startAppProcess({
      name: 'agent',
      entry: 'dist/apps/store-agent/src/main.js',
      env: {
        CLOUD_URL: 'http://127.0.0.1:9',
        EDGE_URL: `http://127.0.0.1:${await freePort()}`,
        AGENT_DATA_DIR: path.join(tmp.path, 'agent'),
        LOG_LEVEL: 'info',
        BOOTSTRAP_TOKEN: 'x'.repeat(32),
      },
      readyOutput: /cannot reach the cloud to start the node identity .*retry 2 in/,
    });
    running.push(agent);
    // It keeps running (it is a daemon that retries with backoff), and it listens on no port.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(agent.child.exitCode).toBeNull();
    expect(agent.output()).toContain('http://127.0.0.1:9/api/v1/nodes/register is unreachable');
  });

  it.each([
    ['cloud', 'dist/apps/cloud/src/main.js', { PORT: 'x', DATABASE_URL: 'nope' }, ['PORT', 'DATABASE_URL']],
    ['edge', 'dist/apps/edge/src/main.js', { PORT: '0' }, ['PORT', 'TENANT_ID', 'STORE_ID', 'CLUSTER_PUBLIC_KEY_BASE64']],
    ['agent', 'dist/apps/store-agent/src/main.js', { EDGE_URL: 'x' }, ['CLOUD_URL', 'EDGE_URL']],
  ])('should refuse to start the %s with a bad environment, naming every bad variable', async (name, entry, env, names) => {
    const proc = await startAppProcess({ name, entry, env });
    expect(await proc.exited).toBe(78);
    for (const variable of names) expect(proc.output()).toContain(`  - ${variable}: `);
  });
});
