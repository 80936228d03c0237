import path from 'node:path';
import { Supervisor, waitHealthy } from './supervisor.js';

/**
 * `npm run demo` (after scripts/demo.sh has installed and built): migrates and seeds a demo
 * database, starts the cloud (API and backoffice) and the store's edge, and says where they listen.
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
  clusterPublicKey: string;
}

const supervisor = new Supervisor();
let stopping = false;
async function shutdown(code: number): Promise<never> {
  stopping = true;
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

  console.log('==> starting the cloud');
  const cloud = supervisor.start('cloud', 'dist/apps/cloud/src/main.js', cloudEnv);
  await waitHealthy(`${cloudUrl}/healthz`, 'the cloud');

  console.log('==> starting the edge of store', seed.storeCode);
  const edge = supervisor.start('edge', 'dist/apps/edge/src/main.js', {
    PORT: edgePort,
    TENANT_ID: seed.tenantId,
    STORE_ID: seed.storeId,
    CLUSTER_PUBLIC_KEY_BASE64: seed.clusterPublicKey,
    EDGE_DATA_DIR: path.join(dataDir, 'edge'),
    MDNS_ENABLED: env.MDNS_ENABLED ?? 'false',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  });
  await waitHealthy(`${edgeUrl}/healthz`, 'the edge');

  const others = seed.operators.filter((o) => o.email !== seed.adminEmail).map((o) => `${o.email} (${o.role})`);
  const revisions = Object.entries(seed.revisions).map(([domain, revision]) => `${domain} r${revision}`);
  const pins = Object.entries(seed.userPins).map(([user, pin]) => `${user} ${pin}`);
  console.log(`
POS fleet demo is running (Ctrl-C stops it)
  backoffice   ${cloudUrl}/            admin operator ${seed.adminEmail} / ${seed.adminPassword}
               same password: ${others.join(', ')}
  cloud API    ${cloudUrl}/api/v1      health ${cloudUrl}/healthz   docs ${cloudUrl}/api/docs   metrics ${cloudUrl}/metrics
  store edge   ${edgeUrl}              health ${edgeUrl}/healthz   (store ${seed.storeCode}, ${seed.storeId})
  published    ${revisions.join(', ')} for ${seed.storeCode}; till PINs ${pins.join(', ')}
  data         ${dataDir}
demo ready`);

  const first = await Promise.race([cloud.exited.then((code) => ['cloud', code] as const), edge.exited.then((code) => ['edge', code] as const)]);
  if (!stopping) {
    console.error(`${first[0]} exited with code ${first[1]}; stopping the demo`);
    await shutdown(1);
  }
} catch (error) {
  console.error(`demo failed: ${(error as Error).message}`);
  await shutdown(1);
}
