import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uuidv7, type CommandEnvelope, type EventBase, type LoginResponse, type OperatorRoleName, type RegisterNodeResponse } from '@app/contracts';
import { canonicalize, hashSecret, sha256Hex } from '@app/crypto';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';
import {
  createRedisPrefix,
  createTempDir,
  createTestDatabase,
  deleteRedisPrefix,
  freePort,
  repoRoot,
  startAppProcess,
  testRedisUrl,
  type AppProcess,
  type TempDir,
  type TestDatabase,
} from '@app/testing';
import { launchChromium, openPage, signIn, type PageOptions } from './browser.js';

/** The demo seed's operators (apps/cloud/src/seed): one per role, same password. */
export const DEMO_PASSWORD = 'demo-admin-pw';
export const OPERATORS = { admin: 'admin@demo.local', menu: 'menu@demo.local', support: 'support@demo.local', viewer: 'viewer@demo.local' } as const;
export type OperatorName = keyof typeof OPERATORS;

export interface SeedOutput {
  tenantId: string;
  storeId: string;
  storeCode: string;
  clusterPublicKey: string;
}

/** A JSON call to the cloud as an API client would make it (setup and checks beside the browser). */
export class Http {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  as(token: string): Http {
    return new Http(this.baseUrl, token);
  }

  async call<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.baseUrl}/api/v1${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async ok<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await this.call<T>(method, route, body);
    if (res.status >= 300) throw new Error(`${method} ${route} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

/**
 * The built cloud as a process on its own database and Redis prefix, seeded with the demo tenant
 * (scripts/demo does the same), serving the built backoffice at `/`; and a headless Chromium.
 */
export class BackofficeHarness {
  db!: TestDatabase;
  tmp!: TempDir;
  cloud!: AppProcess;
  browser!: Browser;
  seed!: SeedOutput;
  baseUrl!: string;
  http!: Http;
  private readonly redisPrefix: string;
  private readonly contexts: BrowserContext[] = [];

  constructor(
    private readonly label: string,
    private readonly cloudEnv: Record<string, string> = {},
    /** The database URL the cloud (not the seed) is given, from the real one: to put a TcpProxy in between. */
    private readonly cloudDatabaseUrl?: (url: string) => string | Promise<string>,
  ) {
    this.redisPrefix = createRedisPrefix(label);
  }

  async start(): Promise<void> {
    this.db = await createTestDatabase(this.label);
    this.tmp = await createTempDir(this.label);
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      DATABASE_URL: this.db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: this.redisPrefix,
      DEV_KEYS_FILE: path.join(this.tmp.path, 'cloud-dev-keys.json'),
      BACKOFFICE_DIR: path.join(repoRoot(), 'apps/backoffice/dist'),
      ...this.cloudEnv,
    };
    const seeding = await startAppProcess({ name: 'seed', entry: 'dist/apps/cloud/src/database/seed.main.js', env });
    const code = await seeding.exited;
    const out = seeding.output();
    if (code !== 0) throw new Error(`the demo seed failed (${code}):\n${out}`);
    this.seed = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as SeedOutput;
    const cloudEnv = this.cloudDatabaseUrl ? { ...env, DATABASE_URL: await this.cloudDatabaseUrl(this.db.url) } : env;
    this.cloud = await startAppProcess({
      name: 'cloud',
      entry: 'dist/apps/cloud/src/main.js',
      env: cloudEnv,
      readyUrl: `${this.baseUrl}/healthz`,
      readyTimeoutMs: 40_000,
    });
    this.http = new Http(this.baseUrl);
    this.browser = await launchChromium();
  }

  async stop(): Promise<void> {
    await Promise.all(this.contexts.map((c) => c.close().catch(() => undefined)));
    await this.browser?.close().catch(() => undefined);
    await this.cloud?.stop();
    await Promise.all([this.db?.drop(), this.tmp?.remove(), deleteRedisPrefix(this.redisPrefix)]);
  }

  /** A fresh browser context (its own storage), on a laptop-sized window unless told. */
  async newPage(options: PageOptions = {}): Promise<Page> {
    const { context, page } = await openPage(this.browser, this.baseUrl, options);
    this.contexts.push(context);
    return page;
  }

  /** Signs in through the login page as one of the demo operators and waits for the fleet. */
  signIn(page: Page, who: OperatorName, password = DEMO_PASSWORD): Promise<void> {
    return signIn(page, OPERATORS[who], password);
  }

  /**
   * One more operator of the demo tenant (a long email, say), written straight to the cloud's
   * database: the cloud has no route that creates operators (only the seed and ADMIN_EMAIL do).
   */
  async addOperator(email: string, role: OperatorRoleName, password = DEMO_PASSWORD): Promise<void> {
    const connection = await mysql.createConnection(connectionOptions(parseMysqlUrl(this.db.url)));
    try {
      await connection.query('INSERT INTO Operator (id, tenantId, email, displayName, passwordHash, role) VALUES (?, ?, ?, ?, ?, ?)', [
        uuidv7(),
        this.seed.tenantId,
        email.toLowerCase(),
        email.split('@')[0],
        await hashSecret(password),
        role,
      ]);
    } finally {
      await connection.end();
    }
  }

  /**
   * An event stored as the cloud's ingest stored it before it refused such values (a zero date, an
   * amount that is no amount), written straight to the database: ingest now refuses to make it.
   */
  async insertIngestedEventRaw(event: EventBase, atColumn: string): Promise<void> {
    const connection = await mysql.createConnection(connectionOptions(parseMysqlUrl(this.db.url)));
    try {
      await connection.query(
        `INSERT INTO IngestedEvent (eventId, tenantId, storeId, aggregateType, aggregateId, version, type, at, lamport, deviceId, hubSeq, ` +
          `origin, body, contentHash, receivedAt)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'hub', ?, ?, NOW(3))`,
        [
          event.eventId,
          event.tenantId,
          event.storeId,
          event.aggregateType,
          event.aggregateId,
          event.version,
          event.type,
          atColumn,
          event.clock.lamport,
          event.actor.deviceId,
          JSON.stringify(event),
          sha256Hex(canonicalize(event)),
        ],
      );
    } finally {
      await connection.end();
    }
  }

  async tokenOf(who: OperatorName): Promise<Http> {
    const res = await this.http.ok<LoginResponse>('POST', '/auth/login', { email: OPERATORS[who], password: DEMO_PASSWORD });
    return this.http.as(res.accessToken);
  }

  /** A node registered for the demo store through the real flow (admin's bootstrap token, then /nodes/register). */
  async registerNode(storeId = this.seed.storeId): Promise<Http> {
    const admin = await this.tokenOf('admin');
    const { token } = await admin.ok<{ token: string }>('POST', `/stores/${storeId}/nodes/bootstrap`, {});
    const node = await this.http.ok<RegisterNodeResponse>('POST', '/nodes/register', {
      bootstrapToken: token,
      hostname: 'edge-test',
      softwareVersion: '1.0.0',
    });
    return this.http.as(node.accessToken);
  }

  /** Screenshots go to SCREENSHOTS_DIR when it is set (`npm run screenshots:backoffice`), else nowhere. */
  async screenshot(page: Page, name: string): Promise<void> {
    const dir = process.env.SCREENSHOTS_DIR;
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`) });
  }
}

/** One long-poll of a node: the envelopes delivered. */
export async function poll(node: Http): Promise<CommandEnvelope[]> {
  return (await node.ok<{ commands: CommandEnvelope[] }>('GET', '/nodes/commands?wait=0')).commands;
}
