import path from 'node:path';
import mysql from 'mysql2/promise';
import type { LoginResponse, RegisterNodeResponse } from '@app/contracts';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';
import {
  createRedisPrefix,
  createTempDir,
  createTestDatabase,
  deleteRedisPrefix,
  freePort,
  JsonClient,
  makeMenuItem,
  startAppProcess,
  testRedisUrl,
  waitFor,
  type AppProcess,
  type TempDir,
  type TestDatabase,
} from '@app/testing';

const SHUTDOWN_TIMEOUT_SECONDS = 4;
const ADMIN = { email: 'shutdown.admin.with-a-long-address@graceful-exits.example.com', password: 'shutdown-admin-pw' };

interface Cloud {
  proc: AppProcess;
  base: string;
  admin: JsonClient;
  node: JsonClient;
  storeId: string;
}

/** Resolves with how long the process took to exit after SIGTERM, and its exit code. */
async function sigterm(proc: AppProcess): Promise<{ ms: number; code: number | null }> {
  const started = Date.now();
  proc.child.kill('SIGTERM');
  // Bounded by the test: far past the shutdown timeout, it is killed and the test fails.
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), (SHUTDOWN_TIMEOUT_SECONDS + 10) * 1000);
  try {
    const code = await proc.exited;
    return { ms: Date.now() - started, code };
  } finally {
    clearTimeout(timer);
  }
}

async function waiters(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('pos_cloud_long_poll_waiters '));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** A request left to run: what it resolved with, or the error its connection ended with. */
function inFlight(url: string, init: RequestInit = {}): Promise<{ status: number; body: string } | { error: string }> {
  return fetch(url, init).then(
    async (res) => ({ status: res.status, body: await res.text() }),
    (error: Error) => ({ error: error.message }),
  );
}

describe('the cloud on SIGTERM', () => {
  let db: TestDatabase;
  let tmp: TempDir;
  const redisPrefix = createRedisPrefix('shutdown');
  const started: AppProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('shutdown');
    tmp = await createTempDir('shutdown');
  });

  afterAll(async () => {
    await Promise.all(started.map((p) => p.kill9()));
    await Promise.all([db.drop(), tmp.remove(), deleteRedisPrefix(redisPrefix)]);
  });

  async function startCloud(env: Record<string, string> = {}): Promise<Cloud> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = await startAppProcess({
      name: 'cloud',
      entry: 'dist/apps/cloud/src/main.js',
      env: {
        PORT: String(port),
        DATABASE_URL: db.url,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: redisPrefix,
        DEV_KEYS_FILE: path.join(tmp.path, 'keys.json'),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        ADMIN_TENANT: 'graceful-exits',
        SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
        LOG_LEVEL: 'info',
        ...env,
      },
      readyUrl: `${base}/healthz`,
    });
    started.push(proc);
    const anyone = new JsonClient(base);
    const admin = anyone.as((await anyone.ok<LoginResponse>('POST', '/api/v1/auth/login', ADMIN)).accessToken);
    const code = `SD-${started.length}-${Date.now() % 100_000}`;
    const store = await admin.ok<{ id: string }>('POST', '/api/v1/stores', { code, name: `Shutdown test store ${code}, the one with the long name` });
    const bootstrap = await admin.ok<{ token: string }>('POST', `/api/v1/stores/${store.id}/nodes/bootstrap`, {});
    const node = await anyone.ok<RegisterNodeResponse>('POST', '/api/v1/nodes/register', {
      bootstrapToken: bootstrap.token,
      hostname: `edge-${code}`,
      softwareVersion: '1.0.0',
    });
    return { proc, base, admin, node: anyone.as(node.accessToken), storeId: store.id };
  }

  it('should end held long-polls at once, close its workers and exit 0 well within the bound', async () => {
    const cloud = await startCloud();
    const polls = Array.from({ length: 3 }, () =>
      inFlight(`${cloud.base}/api/v1/nodes/commands?wait=30`, { headers: { authorization: `Bearer ${cloud.node.token}` } }),
    );
    await waitFor(async () => (await waiters(cloud.base)) === 3, { what: 'three held long-polls' });

    const { ms, code } = await sigterm(cloud.proc);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(2_000);
    // Each poll was answered (nothing for it), not cut.
    for (const poll of await Promise.all(polls)) expect(poll).toEqual({ status: 200, body: JSON.stringify({ commands: [] }) });
    expect(cloud.proc.output()).toMatch(/"msg":"SIGTERM: shutting down \(at most 4000 ms\)"/);
    expect(cloud.proc.output()).toMatch(/"msg":"shut down"/);
  });

  it('should exit within the bound, saying why, while requests hang on a stalled database and the pool is exhausted', async () => {
    const cloud = await startCloud({ DATABASE_POOL_SIZE: '2' });
    const locker = await mysql.createConnection(connectionOptions(parseMysqlUrl(db.url)));
    try {
      // A stalled dependency, for real: the table every publish writes is locked by someone else.
      await locker.query('LOCK TABLES SyncCommand WRITE');
      const publish = () =>
        inFlight(`${cloud.base}/api/v1/stores/${cloud.storeId}/revisions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${cloud.admin.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ domain: 'menu', payload: { items: [makeMenuItem({ sku: 'STALLED-001' })] } }),
        });
      // Two publishes hold the pool's two connections, waiting on the lock; only then come a third
      // publish and two long-polls, which wait for a connection, at most DATABASE_ACQUIRE_TIMEOUT_MS
      // (3 s). (Started together, a long-poll could take a connection first, blocked on the same lock.)
      const hung = [publish(), publish()];
      await waitFor(
        async () => {
          // One waits for the table lock, the other for the row the first one locked.
          const [rows] = await locker.query<mysql.RowDataPacket[]>(
            "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND ID <> CONNECTION_ID()",
            [db.name],
          );
          return Number(rows[0]!.n) >= 2;
        },
        { what: 'both pool connections blocked' },
      );
      hung.push(publish());
      const polls = Array.from({ length: 2 }, () =>
        inFlight(`${cloud.base}/api/v1/nodes/commands?wait=30`, { headers: { authorization: `Bearer ${cloud.node.token}` } }),
      );
      const health = await fetch(`${cloud.base}/healthz`);
      expect(health.status).toBe(503);

      const { ms, code } = await sigterm(cloud.proc);
      expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_SECONDS * 1000 + 1_500);
      expect(ms).toBeGreaterThan(SHUTDOWN_TIMEOUT_SECONDS * 1000 - 200);
      const answers = await Promise.all(hung);
      // The two blocked on the lock never finished: their connections were closed after half the bound.
      expect(answers.filter((a) => 'error' in a)).toEqual([{ error: expect.any(String) }, { error: expect.any(String) }]);
      // The one waiting for a connection was told 503 once the pool's acquire bound passed, instead of hanging.
      expect(answers.filter((a) => !('error' in a))).toEqual([{ status: 503, body: expect.stringContaining('"code":"DATABASE_UNAVAILABLE"') }]);
      await Promise.all(polls);
      const output = cloud.proc.output();
      expect(output).toMatch(/request\(s\) still in flight after 2000 ms: closing their connections/);
      // The pool cannot end while its connections wait on the lock: the deadline ends the process.
      expect(code).toBe(1);
      expect(output).toMatch(
        /"msg":"shutdown did not finish within 4000 ms \(still closing workers, database pools and Redis; 0 request\(s\) in flight\): exiting anyway"/,
      );
    } finally {
      await locker.query('UNLOCK TABLES').catch(() => undefined);
      await locker.end();
    }
  });
});
