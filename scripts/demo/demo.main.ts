import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { LoginResponse, StoreNodesResponse } from '@app/contracts';
import { CloudWatch } from './cloud-watch.js';
import { DemoKitchen, DemoTill } from './demo-devices.js';
import { Supervisor, waitHealthy } from './supervisor.js';

/**
 * `npm run demo` (after scripts/demo.sh has installed and built): migrates and seeds a demo
 * database, starts the cloud (API and backoffice), the store's edge and its agent (bootstrapped
 * through the admin API), then two simulated devices on the edge: a till that places orders and a
 * kitchen display that completes their tickets. Prints what happens, on both sides of the WAN.
 * Ctrl-C stops everything.
 */
const env = process.env;
const cloudPort = env.CLOUD_PORT ?? '3000';
const edgePort = env.EDGE_PORT ?? '4001';
const databaseUrl = env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/pos_demo';
const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const dataDir = path.resolve(env.DEMO_DATA_DIR ?? '.data/demo');
const cloudUrl = `http://127.0.0.1:${cloudPort}`;
const edgeUrl = `http://127.0.0.1:${edgePort}`;
const orderIntervalMs = Number(env.DEMO_ORDER_INTERVAL_MS ?? 5_000);
const agentDir = path.join(dataDir, 'agent');
const edgeDir = path.join(dataDir, 'edge');

const cloudEnv = {
  PORT: cloudPort,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: env.REDIS_PREFIX ?? 'pos-demo',
  DEV_KEYS_FILE: path.join(dataDir, 'cloud-dev-keys.json'),
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
};

interface SeedOutput {
  tenantId: string;
  storeId: string;
  storeCode: string;
  adminEmail: string;
  adminPassword: string;
  operators: { email: string; role: string }[];
  revisions: Record<string, number>;
  userPins: Record<string, string>;
  created: string[];
  clusterPublicKey: string;
}

const supervisor = new Supervisor();
const devices: { stop(): void }[] = [];
let stopping = false;
async function shutdown(code: number): Promise<never> {
  stopping = true;
  for (const device of devices) device.stop();
  await supervisor.stopAll();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  console.log(`==> migrating ${databaseUrl}`);
  process.stdout.write(await supervisor.run('migrate', 'dist/apps/cloud/src/database/migrate.main.js', { DATABASE_URL: databaseUrl }));
  console.log('==> seeding the demo tenant, store, operators and first revisions');
  const seed = JSON.parse(await supervisor.run('seed', 'dist/apps/cloud/src/database/seed.main.js', cloudEnv)) as SeedOutput;
  if (seed.created.includes(`store ${seed.storeCode}`)) {
    // A new demo store: whatever an earlier demo left for the store's box belongs to another store.
    rmSync(edgeDir, { recursive: true, force: true });
    rmSync(agentDir, { recursive: true, force: true });
  }

  console.log('==> starting the cloud');
  const cloud = supervisor.start('cloud', 'dist/apps/cloud/src/main.js', cloudEnv);
  await waitHealthy(`${cloudUrl}/healthz`, 'the cloud');

  console.log('==> starting the edge of store', seed.storeCode);
  const edge = supervisor.start('edge', 'dist/apps/edge/src/main.js', {
    PORT: edgePort,
    TENANT_ID: seed.tenantId,
    STORE_ID: seed.storeId,
    CLUSTER_PUBLIC_KEY_BASE64: seed.clusterPublicKey,
    EDGE_DATA_DIR: edgeDir,
    MDNS_ENABLED: env.MDNS_ENABLED ?? 'false',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  });
  await waitHealthy(`${edgeUrl}/healthz`, 'the edge');

  const login = await post<LoginResponse>('/api/v1/auth/login', { email: seed.adminEmail, password: env.ADMIN_PASSWORD ?? seed.adminPassword });
  const admin = login.accessToken;

  console.log('==> starting the store agent');
  const agent = supervisor.start('agent', 'dist/apps/store-agent/src/main.js', {
    CLOUD_URL: cloudUrl,
    EDGE_URL: edgeUrl,
    AGENT_DATA_DIR: agentDir,
    AGENT_HOSTNAME: `demo-${seed.storeCode.toLowerCase()}-box`,
    ...(await agentBootstrap(seed.storeId, admin)),
    HEARTBEAT_INTERVAL_SECONDS: env.HEARTBEAT_INTERVAL_SECONDS ?? '5',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  });
  await waitAgentRegistered(seed.storeId, admin);

  console.log('==> connecting a till and a kitchen display to the edge');
  const say = (who: string) => (line: string) => console.log(`[${who}] ${line}`);
  const deviceSetup = async (deviceId: string) => ({
    edgeUrl,
    tenantId: seed.tenantId,
    storeId: seed.storeId,
    token: (await post<{ token: string }>(`/api/v1/stores/${seed.storeId}/device-tokens`, { deviceId, ttlSeconds: 30 * 24 * 3600 }, admin)).token,
  });
  const kitchen = new DemoKitchen({ ...(await deviceSetup('kds-1')), say: say('kds-1 ') }, Math.max(500, Math.round(orderIntervalMs / 2)));
  devices.push(kitchen);
  await kitchen.start();
  const till = new DemoTill({ ...(await deviceSetup('till-1')), say: say('till-1') });
  devices.push(till);
  await till.start(orderIntervalMs);
  const watch = new CloudWatch(cloudUrl, admin, seed.storeId, say('cloud '));
  devices.push(watch);
  await watch.start(1_000);

  const others = seed.operators.filter((o) => o.email !== seed.adminEmail).map((o) => `${o.email} (${o.role})`);
  const revisions = Object.entries(seed.revisions).map(([domain, revision]) => `${domain} r${revision}`);
  const pins = Object.entries(seed.userPins).map(([user, pin]) => `${user} ${pin}`);
  console.log(`
POS fleet demo is running (Ctrl-C stops it)
  backoffice   ${cloudUrl}/            admin operator ${seed.adminEmail} / ${seed.adminPassword}
               same password: ${others.join(', ')}
  cloud API    ${cloudUrl}/api/v1      health ${cloudUrl}/healthz   docs ${cloudUrl}/api/docs   metrics ${cloudUrl}/metrics
  store edge   ${edgeUrl}              health ${edgeUrl}/healthz   status ${edgeUrl}/status   (store ${seed.storeCode}, ${seed.storeId})
  store agent  node registered, health in ${path.join(agentDir, 'health.json')}
  devices      till-1 places an order every ${orderIntervalMs / 1000} s, kds-1 cooks and completes its tickets
  published    ${revisions.join(', ')} for ${seed.storeCode}; till PINs ${pins.join(', ')}
  try          publish a menu change in the backoffice: the till says when the hub pushes it
  data         ${dataDir}
demo ready`);

  const first = await Promise.race(
    [
      ['cloud', cloud],
      ['edge', edge],
      ['agent', agent],
    ].map(([name, child]) => (child as typeof cloud).exited.then((code) => [name as string, code] as const)),
  );
  if (!stopping) {
    console.error(`${first[0]} exited with code ${first[1]}; stopping the demo`);
    await shutdown(1);
  }
} catch (error) {
  console.error(`demo failed: ${(error as Error).message}`);
  await shutdown(1);
}

async function post<T>(route: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${cloudUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${route} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function activeNodes(storeId: string, token: string): Promise<StoreNodesResponse['nodes']> {
  const res = await fetch(`${cloudUrl}/api/v1/stores/${storeId}/nodes`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET nodes answered ${res.status}`);
  return ((await res.json()) as StoreNodesResponse).nodes.filter((n) => n.status === 'ACTIVE');
}

/**
 * The agent's first start needs a bootstrap token; a later start reuses the credentials it kept,
 * unless the cloud no longer knows that node (the demo database was reset): then it registers anew.
 */
async function agentBootstrap(storeId: string, token: string): Promise<Record<string, string>> {
  const file = path.join(agentDir, 'credentials.json');
  if (existsSync(file)) {
    const { nodeId } = JSON.parse(readFileSync(file, 'utf8')) as { nodeId: string };
    if ((await activeNodes(storeId, token)).some((n) => n.id === nodeId)) return {};
    console.log('    the stored agent credentials belong to a node the cloud no longer has: registering again');
    rmSync(agentDir, { recursive: true, force: true });
  }
  const bootstrap = await post<{ token: string }>(`/api/v1/stores/${storeId}/nodes/bootstrap`, {}, token);
  return { BOOTSTRAP_TOKEN: bootstrap.token };
}

async function waitAgentRegistered(storeId: string, token: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(path.join(agentDir, 'credentials.json')) || (await activeNodes(storeId, token)).length === 0) {
    if (Date.now() > deadline) throw new Error('the store agent did not register within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}
