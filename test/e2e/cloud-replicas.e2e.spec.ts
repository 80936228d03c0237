import path from 'node:path';
import mysql from 'mysql2/promise';
import { SYNC_DOMAINS, type CommandEnvelope, type LoginResponse, type RegisterNodeResponse, type SyncDomain } from '@app/contracts';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';
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

/** A JSON client of one cloud process. */
class Client {
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  as(token: string): Client {
    return new Client(this.base, token);
  }

  on(other: Client): Client {
    return new Client(other.base, this.token);
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call<T>(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

const PAYLOAD: Record<SyncDomain, (n: number) => Record<string, unknown>> = {
  settings: (n) => ({ values: { 'receipt.footer': `v${n}` } }),
  menu: (n) => ({ items: [{ sku: `SKU-${n}`, name: 'Burger', priceCents: 1000 + n, category: 'Mains', station: 'kitchen', available: true }] }),
  users: (n) => ({ users: [{ userId: 'u-1', displayName: `User ${n}`, roleIds: [], active: true }] }),
  roles: (n) => ({ roles: [{ roleId: 'r-1', name: `Role ${n}`, permissions: [] }] }),
};

function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('two cloud processes on one database and one Redis', () => {
  let db: TestDatabase;
  let tmp: TempDir;
  const redisPrefix = createRedisPrefix('replicas');
  const processes: AppProcess[] = [];
  let a: Client;
  let b: Client;
  let adminA: Client;
  let sql: mysql.Connection;

  beforeAll(async () => {
    db = await createTestDatabase('replicas');
    tmp = await createTempDir('replicas');
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: redisPrefix,
      // One key file: both replicas share their secrets and keys, as replicas of one cloud do.
      DEV_KEYS_FILE: path.join(tmp.path, 'keys.json'),
      ADMIN_EMAIL: 'admin@replicas.test',
      ADMIN_PASSWORD: 'replicas-admin-pw',
      ADMIN_TENANT: 'replicas',
      COMMAND_ACK_TIMEOUT_SECONDS: '1',
      COMMAND_RETRY_BASE_MS: '200',
      COMMAND_MAX_ATTEMPTS: '2',
      LOG_LEVEL: 'warn',
    };
    const clients: Client[] = [];
    for (const name of ['cloud-a', 'cloud-b']) {
      const port = await freePort();
      processes.push(
        await startAppProcess({
          name,
          entry: 'dist/apps/cloud/src/main.js',
          env: { ...env, PORT: String(port) },
          readyUrl: `http://127.0.0.1:${port}/healthz`,
        }),
      );
      clients.push(new Client(`http://127.0.0.1:${port}`));
    }
    [a, b] = clients as [Client, Client];
    const login = await a.ok<LoginResponse>('POST', '/api/v1/auth/login', { email: 'admin@replicas.test', password: 'replicas-admin-pw' });
    adminA = a.as(login.accessToken);
    sql = await mysql.createConnection(connectionOptions(parseMysqlUrl(db.url)));
  });

  afterAll(async () => {
    await sql?.end();
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all([db.drop(), tmp.remove(), deleteRedisPrefix(redisPrefix)]);
  });

  /** A store created on A with its node registered on B: one node client per process. */
  async function storeWithNode(code: string): Promise<{ storeId: string; onA: Client; onB: Client }> {
    const store = await adminA.ok<{ id: string }>('POST', '/api/v1/stores', { code, name: code });
    const bootstrap = await adminA.on(b).ok<{ token: string }>('POST', `/api/v1/stores/${store.id}/nodes/bootstrap`, {});
    const node = await b.ok<RegisterNodeResponse>('POST', '/api/v1/nodes/register', {
      bootstrapToken: bootstrap.token,
      hostname: code,
      softwareVersion: '1.0.0',
    });
    return { storeId: store.id, onA: a.as(node.accessToken), onB: b.as(node.accessToken) };
  }

  const poll = async (node: Client, wait: number) => (await node.ok<{ commands: CommandEnvelope[] }>('GET', `/api/v1/nodes/commands?wait=${wait}`)).commands;
  const metrics = async () => Promise.all([a, b].map(async (c) => (await fetch(`${c.base}/metrics`)).text()));
  const timerRuns = (texts: string[], timer: string, outcome: string) =>
    texts.reduce((sum, t) => sum + sample(t, 'pos_cloud_command_timers_total', { timer, outcome }), 0);

  it('should fire every command timer exactly once across the two processes', async () => {
    const stores = await Promise.all(['T1', 'T2', 'T3'].map(storeWithNode));
    const commandIds: string[] = [];
    for (const [i, store] of stores.entries()) {
      for (const domain of ['menu', 'settings'] as const) {
        const publisher = i % 2 === 0 ? adminA : adminA.on(b);
        commandIds.push(
          (await publisher.ok<{ commandId: string }>('POST', `/api/v1/stores/${store.storeId}/revisions`, { domain, payload: PAYLOAD[domain](i) })).commandId,
        );
      }
    }
    // Both processes keep polling for every store and never ack: each delivery times out.
    const deadline = Date.now() + 30_000;
    const statuses = async () => {
      const [rows] = await sql.query<(mysql.RowDataPacket & { status: string })[]>('SELECT status FROM SyncCommand WHERE id IN (?)', [commandIds]);
      return rows.map((r) => r.status);
    };
    await Promise.all(
      stores.flatMap((store) =>
        [store.onA, store.onB].map(async (node) => {
          for (let round = 0; round < 60 && Date.now() < deadline; round += 1) {
            if ((await statuses()).every((s) => s === 'DEAD_LETTER')) return;
            await poll(node, 1);
          }
        }),
      ),
    );
    expect(await statuses()).toEqual(Array(commandIds.length).fill('DEAD_LETTER'));

    const [events] = await sql.query<(mysql.RowDataPacket & { event: string; n: number })[]>(
      'SELECT event, COUNT(*) AS n FROM SyncCommandLog WHERE commandId IN (?) GROUP BY event ORDER BY event',
      [commandIds],
    );
    const n = commandIds.length;
    expect(Object.fromEntries(events.map((e) => [e.event, Number(e.n)]))).toEqual({ PUBLISHED: n, DELIVERED: 2 * n, ACK_TIMEOUT: 2 * n, RETRY_DUE: n });
    // Each timer ran once, on one process or the other: none ran twice (a second run would be stale).
    const texts = await metrics();
    expect(timerRuns(texts, 'ack-timeout', 'applied')).toBe(2 * n);
    expect(timerRuns(texts, 'retry-due', 'applied')).toBe(n);
    expect(timerRuns(texts, 'ack-timeout', 'stale') + timerRuns(texts, 'retry-due', 'stale')).toBe(0);
  });

  it('should answer a node long-polling on one process with a command published through the other', async () => {
    const store = await storeWithNode('WAKE');
    const started = Date.now();
    const waiting = poll(store.onA, 20);
    await waitFor(async () => (await metrics())[0]!.includes('pos_cloud_long_poll_waiters 1'), { what: 'the poll to wait on A' });
    const { commandId } = await adminA
      .on(b)
      .ok<{ commandId: string }>('POST', `/api/v1/stores/${store.storeId}/revisions`, { domain: 'menu', payload: PAYLOAD.menu(1) });
    const commands = await waiting;
    expect(commands.map((c) => c.commandId)).toEqual([commandId]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('should deliver every command exactly once to nodes polling both processes', async () => {
    const stores = await Promise.all(['X1', 'X2', 'X3', 'X4'].map(storeWithNode));
    const published = new Set<string>();
    for (const [i, store] of stores.entries()) {
      for (const revision of [1, 2]) {
        for (const domain of SYNC_DOMAINS) {
          const publisher = (i + revision) % 2 === 0 ? adminA : adminA.on(b);
          published.add(
            (await publisher.ok<{ commandId: string }>('POST', `/api/v1/stores/${store.storeId}/revisions`, { domain, payload: PAYLOAD[domain](revision) }))
              .commandId,
          );
        }
      }
    }
    const deliveries: string[] = [];
    const deadline = Date.now() + 30_000;
    await Promise.all(
      stores.flatMap((store) =>
        [store.onA, store.onB].map(async (node) => {
          for (let round = 0; round < 100 && Date.now() < deadline && deliveries.length < published.size; round += 1) {
            for (const command of await poll(node, 1)) {
              deliveries.push(command.commandId);
              await node.ok('POST', `/api/v1/commands/${command.commandId}/ack`, {
                commandId: command.commandId,
                status: 'ACKED',
                appliedRevision: command.revision,
                appliedAt: new Date().toISOString(),
              });
            }
          }
        }),
      ),
    );
    expect(deliveries.length).toBe(published.size);
    expect(new Set(deliveries)).toEqual(published);
    const [rows] = await sql.query<(mysql.RowDataPacket & { status: string; attempts: number })[]>('SELECT status, attempts FROM SyncCommand WHERE id IN (?)', [
      [...published],
    ]);
    expect(rows.every((r) => r.status === 'ACKED' && r.attempts === 1)).toBe(true);
    const [logs] = await sql.query<(mysql.RowDataPacket & { n: number })[]>(
      "SELECT COUNT(*) AS n FROM SyncCommandLog WHERE event = 'DELIVERED' AND commandId IN (?)",
      [[...published]],
    );
    expect(Number(logs[0]!.n)).toBe(published.size);
  });
});
