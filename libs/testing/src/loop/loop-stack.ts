import path from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import type { CommandDetailView, CommandStatusName, KeysResponse, LoginResponse, SyncDomain } from '@app/contracts';
import { createTempDir, type TempDir } from '../fs/temp-dir.js';
import { createTestDatabase, type TestDatabase } from '../mysql/test-database.js';
import { freePort } from '../net/free-port.js';
import { startAppProcess, type AppProcess } from '../process/app-process.js';
import { createRedisPrefix, deleteRedisPrefix, testRedisUrl } from '../redis/test-redis.js';
import { waitFor } from '../wait-for.js';
import { JsonClient } from './json-client.js';

export interface LoopStackOptions {
  label: string;
  cloudEnv?: Record<string, string>;
  edgeEnv?: Record<string, string>;
  agentEnv?: Record<string, string>;
  /** The URLs the agent is given, from the real ones (to put a proxy in between). */
  agentCloudUrl?: (cloudUrl: string) => string | Promise<string>;
  agentEdgeUrl?: (edgeUrl: string) => string | Promise<string>;
  /** Start the agent with the others (default true). */
  startAgent?: boolean;
  storeCode?: string;
}

export const LOOP_ADMIN = { email: 'admin@loop.test', password: 'loop-admin-pw' } as const;

/**
 * The whole product on fresh resources, as real processes: a cloud (own database and Redis
 * prefix), one store with its edge, and the store's agent bootstrapped through the admin API.
 * Each process can be stopped, killed and started again on the same ports and data.
 */
export class LoopStack {
  cloud!: AppProcess;
  edge!: AppProcess;
  agent: AppProcess | null = null;
  admin!: JsonClient;
  tenantId!: string;
  storeId!: string;
  clusterPublicKey!: string;
  bootstrapToken!: string;
  cloudUrl!: string;
  edgeUrl!: string;
  agentCloudUrl!: string;
  agentEdgeUrl!: string;
  readonly redisPrefix: string;
  db!: TestDatabase;
  tmp!: TempDir;
  private cloudPort = 0;
  private edgePort = 0;
  private readerToken: string | null = null;

  private constructor(readonly options: LoopStackOptions) {
    this.redisPrefix = createRedisPrefix(options.label);
  }

  static async start(options: LoopStackOptions): Promise<LoopStack> {
    const stack = new LoopStack(options);
    try {
      await stack.boot();
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  get agentDataDir(): string {
    return path.join(this.tmp.path, 'agent');
  }

  get edgeDataDir(): string {
    return path.join(this.tmp.path, 'edge');
  }

  private async boot(): Promise<void> {
    this.db = await createTestDatabase(this.options.label);
    this.tmp = await createTempDir(this.options.label);
    [this.cloudPort, this.edgePort] = [await freePort(), await freePort()];
    this.cloudUrl = `http://127.0.0.1:${this.cloudPort}`;
    this.edgeUrl = `http://127.0.0.1:${this.edgePort}`;
    await this.startCloud();
    const login = await new JsonClient(this.cloudUrl).ok<LoginResponse>('POST', '/api/v1/auth/login', LOOP_ADMIN);
    this.admin = new JsonClient(this.cloudUrl, login.accessToken);
    this.tenantId = login.operator.tenantId;
    const code = this.options.storeCode ?? 'L001';
    this.storeId = (await this.admin.ok<{ id: string }>('POST', '/api/v1/stores', { code, name: `Loop store ${code}` })).id;
    this.clusterPublicKey = (await new JsonClient(this.cloudUrl).ok<KeysResponse>('GET', '/api/v1/keys')).clusterPublicKey;
    this.bootstrapToken = (await this.admin.ok<{ token: string }>('POST', `/api/v1/stores/${this.storeId}/nodes/bootstrap`, {})).token;
    await this.startEdge();
    this.agentCloudUrl = (await this.options.agentCloudUrl?.(this.cloudUrl)) ?? this.cloudUrl;
    this.agentEdgeUrl = (await this.options.agentEdgeUrl?.(this.edgeUrl)) ?? this.edgeUrl;
    if (this.options.startAgent !== false) await this.startAgent();
  }

  /** Starts the cloud on its port and database; `env` adds to (or overrides) the stack's cloud settings. */
  async startCloud(env: Record<string, string> = {}): Promise<void> {
    this.cloud = await startAppProcess({
      name: 'cloud',
      entry: 'dist/apps/cloud/src/main.js',
      env: {
        PORT: String(this.cloudPort),
        DATABASE_URL: this.db.url,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: this.redisPrefix,
        DEV_KEYS_FILE: path.join(this.tmp.path, 'cloud-keys.json'),
        ADMIN_EMAIL: LOOP_ADMIN.email,
        ADMIN_PASSWORD: LOOP_ADMIN.password,
        ADMIN_TENANT: 'loop',
        COMMAND_ACK_TIMEOUT_SECONDS: '5',
        COMMAND_RETRY_BASE_MS: '200',
        COMMAND_RETRY_MAX_MS: '1000',
        ...this.options.cloudEnv,
        ...env,
      },
      readyUrl: `${this.cloudUrl}/healthz`,
      readyTimeoutMs: 30_000,
    });
  }

  async startEdge(env: Record<string, string> = {}): Promise<void> {
    this.edge = await startAppProcess({
      name: 'edge',
      entry: 'dist/apps/edge/src/main.js',
      env: {
        PORT: String(this.edgePort),
        TENANT_ID: this.tenantId,
        STORE_ID: this.storeId,
        CLUSTER_PUBLIC_KEY_BASE64: this.clusterPublicKey,
        EDGE_DATA_DIR: this.edgeDataDir,
        MDNS_ENABLED: 'false',
        ...this.options.edgeEnv,
        ...env,
      },
      readyUrl: `${this.edgeUrl}/healthz`,
      readyTimeoutMs: 30_000,
    });
  }

  /**
   * Starts the agent (bootstrap token included: it registers on its first start only). Waits until
   * its loops run: its first heartbeat round has written health.json.
   */
  async startAgent(env: Record<string, string> = {}, options: { waitRunning?: boolean; dataDir?: string } = {}): Promise<AppProcess> {
    // Another data folder is another node (a replacement box registering with a new token).
    const dataDir = options.dataDir ?? this.agentDataDir;
    const healthFile = path.join(dataDir, 'health.json');
    rmSync(healthFile, { force: true });
    const agent = await startAppProcess({
      name: 'agent',
      entry: 'dist/apps/store-agent/src/main.js',
      env: {
        CLOUD_URL: this.agentCloudUrl,
        EDGE_URL: this.agentEdgeUrl,
        BOOTSTRAP_TOKEN: this.bootstrapToken,
        AGENT_DATA_DIR: dataDir,
        AGENT_HOSTNAME: `${this.options.label}-box`,
        HEARTBEAT_INTERVAL_SECONDS: '1',
        COMMAND_POLL_WAIT_SECONDS: '5',
        UPLINK_IDLE_MS: '50',
        DOWNLINK_INTERVAL_SECONDS: '1',
        RETRY_BASE_MS: '100',
        RETRY_MAX_MS: '1000',
        LOG_LEVEL: 'info',
        ...this.options.agentEnv,
        ...env,
      },
    });
    this.agent = agent;
    if (options.waitRunning !== false) {
      let exited = false;
      void agent.exited.then(() => (exited = true));
      await waitFor(
        () => {
          if (exited) throw new Error(`the agent exited:\n${agent.output()}`);
          return existsSync(healthFile);
        },
        { timeoutMs: 30_000, intervalMs: 20, what: 'the agent to run' },
      ).catch(async (error: unknown) => {
        await agent.kill9();
        throw new Error(`${(error as Error).message}\n--- agent output ---\n${agent.output()}`);
      });
    }
    return agent;
  }

  hasAgentCredentials(): boolean {
    return existsSync(path.join(this.agentDataDir, 'credentials.json'));
  }

  async publish(domain: SyncDomain, payload: Record<string, unknown>, ifMatchRevision?: number): Promise<{ revision: number; commandId: string }> {
    return this.admin.ok('POST', `/api/v1/stores/${this.storeId}/revisions`, {
      domain,
      payload,
      ...(ifMatchRevision === undefined ? {} : { ifMatchRevision }),
    });
  }

  command(commandId: string): Promise<CommandDetailView> {
    return this.admin.ok<CommandDetailView>('GET', `/api/v1/commands/${commandId}`);
  }

  /** Waits for the command to reach `status` and returns it. */
  waitForCommand(commandId: string, status: CommandStatusName, timeoutMs = 15_000): Promise<CommandDetailView> {
    return waitFor(
      async () => {
        const command = await this.command(commandId);
        return command.status === status ? command : undefined;
      },
      { timeoutMs, intervalMs: 20, what: `command ${commandId} to be ${status}` },
    );
  }

  async deviceToken(deviceId: string): Promise<string> {
    return (await this.admin.ok<{ token: string }>('POST', `/api/v1/stores/${this.storeId}/device-tokens`, { deviceId, ttlSeconds: 3600 })).token;
  }

  /** The edge's HTTP API as a device of the store sees it. */
  async edgeAsDevice(): Promise<JsonClient> {
    this.readerToken ??= await this.deviceToken('loop-reader');
    return new JsonClient(this.edgeUrl, this.readerToken);
  }

  async close(): Promise<void> {
    await Promise.all([this.agent?.stop(), this.edge?.stop(), this.cloud?.stop()].filter(Boolean));
    await Promise.all([this.db?.drop(), this.tmp?.remove(), deleteRedisPrefix(this.redisPrefix)]);
  }
}
