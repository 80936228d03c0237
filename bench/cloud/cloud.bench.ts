import path from 'node:path';
import { uuidv7, type CommandEnvelope, type EventBase, type IngestResponse, type LoginResponse, type RegisterNodeResponse } from '@app/contracts';
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
} from '@app/testing';
import { median, percentile } from '../stats.js';
import { BenchClient, closeClients, pool } from './bench-client.js';

/**
 * `npm run bench:cloud`: the built cloud as a process on a fresh database.
 *  1. Ingest: events per second in batches of 500, first send and a full resend of the same events,
 *     from several store nodes uploading at once (each node sends its batches one after the other,
 *     as an agent does).
 *  2. Fan-out: 1,000 nodes, registered through the real bootstrap flow, each holding a long-poll;
 *     one revision is published to each store and the clock stops when every node holds its command.
 * Each part runs several rounds and reports the median.
 */
const BATCH = 500;
const INGEST_NODES = Number(process.env.BENCH_INGEST_NODES ?? 4);
const BATCHES_PER_NODE = 25;
const INGEST_ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 3);
const FANOUT_NODES = 1_000;
const FANOUT_ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? 3);
/** BENCH_PARTS=ingest or fanout runs one part (when profiling one path). */
const PARTS = (process.env.BENCH_PARTS ?? 'ingest,fanout').split(',');
const PUBLISH_CONCURRENCY = 32;
const TARGET_INGEST_PER_S = 20_000;
const TARGET_FANOUT_MS = 2_000;

const ADMIN = { email: 'bench@bench.test', password: 'bench-admin-password', tenant: 'bench' };

function orderEvents(tenantId: string, storeId: string, count: number, firstLamport: number): EventBase[] {
  const events: EventBase[] = [];
  let lamport = firstLamport;
  while (events.length < count) {
    const orderId = `order-${uuidv7()}`;
    const base = { tenantId, storeId, aggregateType: 'order' as const, aggregateId: orderId, actor: { deviceId: 'till-1', userId: 'u-sam' } };
    const items = [
      { lineId: 'l1', sku: 'MAIN-BURGER', qty: 2, name: 'Classic cheeseburger', priceCents: 1450, station: 'kitchen' as const },
      { lineId: 'l2', sku: 'DRINK-LAGER-PINT', qty: 2, name: 'House lager (pint)', priceCents: 595, station: 'bar' as const },
    ];
    const steps: Pick<EventBase, 'type' | 'payload'>[] = [
      { type: 'order.created', payload: { items, tableId: 'T12' } },
      { type: 'order.updated', payload: { items: [...items, { lineId: 'l3', sku: 'SIDE-FRIES', qty: 1, name: 'Skin-on fries', priceCents: 395 }] } },
      { type: 'order.paid', payload: { totalCents: 4485, method: 'card', tenderedCents: 4485 } },
    ];
    for (const [i, step] of steps.entries()) {
      if (events.length === count) break;
      lamport += 1;
      events.push({ ...base, ...step, eventId: uuidv7(), version: i + 1, at: new Date().toISOString(), clock: { lamport, deviceId: 'till-1' } } as EventBase);
    }
  }
  return events;
}

async function registerNodes(admin: BenchClient, anyone: BenchClient, prefix: string, count: number): Promise<{ storeId: string; node: BenchClient }[]> {
  return pool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const store = await admin.ok<{ id: string }>('POST', '/api/v1/stores', { code: `${prefix}${String(i).padStart(4, '0')}`, name: `Bench store ${i}` });
      const bootstrap = await admin.ok<{ token: string }>('POST', `/api/v1/stores/${store.id}/nodes/bootstrap`, {});
      const node = await anyone.ok<RegisterNodeResponse>('POST', '/api/v1/nodes/register', {
        bootstrapToken: bootstrap.token,
        hostname: `bench-${i}`,
        softwareVersion: 'bench',
      });
      return { storeId: store.id, node: anyone.as(node.accessToken) };
    },
  );
}

async function ingestRound(tenantId: string, nodes: { storeId: string; node: BenchClient }[], round: number) {
  // Serialised before the clock starts: the agents run on store hardware, not on the cloud's cores.
  const batches = nodes.map(({ storeId }) =>
    Array.from({ length: BATCHES_PER_NODE }, (_, b) => {
      const events = orderEvents(tenantId, storeId, BATCH, (round * BATCHES_PER_NODE + b) * BATCH);
      return { count: events.length, body: Buffer.from(JSON.stringify({ events })) };
    }),
  );
  const total = nodes.length * BATCHES_PER_NODE * BATCH;
  const send = async (expect: 'accepted' | 'duplicates') => {
    const started = performance.now();
    await Promise.all(
      nodes.map(async ({ node }, n) => {
        for (const batch of batches[n]!) {
          const res = await node.ok<IngestResponse>('POST', '/api/v1/events/ingest', batch.body);
          if (res[expect] !== batch.count || res.rejected.length > 0) throw new Error(`unexpected ingest answer ${JSON.stringify(res).slice(0, 300)}`);
        }
      }),
    );
    return total / ((performance.now() - started) / 1000);
  };
  const first = await send('accepted');
  const resend = await send('duplicates');
  return { first, resend, total };
}

async function fanoutRound(
  admin: BenchClient,
  cloud: BenchClient,
  nodes: { storeId: string; node: BenchClient }[],
  round: number,
  mode: 'fleet' | 'per-store',
) {
  const received = new Array<number>(nodes.length).fill(0);
  const published = new Array<number>(nodes.length).fill(0);
  const polls = nodes.map(async ({ node }, i) => {
    // A node keeps polling until it holds its command (a wait may end first on a slow machine).
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const res = await node.ok<{ commands: CommandEnvelope[] }>('GET', '/api/v1/nodes/commands?wait=30');
      if (res.commands.length > 0) {
        received[i] = performance.now();
        return res.commands[0]!;
      }
    }
    throw new Error(`node ${i} got no command`);
  });
  await waitFor(async () => (await waitersOf(cloud)) >= nodes.length, { timeoutMs: 60_000, intervalMs: 100, what: `${nodes.length} long-polls to be waiting` });
  const started = performance.now();
  if (mode === 'fleet') {
    // HQ publishes the change to the whole chain: one request, one transaction.
    await admin.ok('POST', '/api/v1/revisions', { storeIds: nodes.map((n) => n.storeId), domain: 'settings', payload: { values: { 'bench.round': round } } });
    published.fill(performance.now());
  } else {
    // One request per store, as an editor working store by store would send them.
    await pool(nodes, PUBLISH_CONCURRENCY, async ({ storeId }, i) => {
      await admin.ok('POST', `/api/v1/stores/${storeId}/revisions`, { domain: 'settings', payload: { values: { 'bench.round': round } } });
      published[i] = performance.now();
    });
  }
  const publishedAll = performance.now() - started;
  const commands = await Promise.all(polls);
  const all = Math.max(...received) - started;
  // The agents apply and acknowledge (outside the measured window).
  await pool(nodes, PUBLISH_CONCURRENCY, ({ node }, i) =>
    node.ok('POST', `/api/v1/commands/${commands[i]!.commandId}/ack`, {
      commandId: commands[i]!.commandId,
      status: 'ACKED',
      appliedRevision: commands[i]!.revision,
      appliedAt: new Date().toISOString(),
    }),
  );
  const latencies = received.map((r, i) => r - published[i]!);
  // A node that waited seconds for a command published to it is a delivery bug, not noise: name it.
  latencies.forEach((l, i) => {
    if (l > 5_000) console.log(`  SLOW: store ${nodes[i]!.storeId} got command ${commands[i]!.commandId} seq ${commands[i]!.seq} after ${Math.round(l)} ms`);
  });
  return { all, publishedAll, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function waitersOf(cloud: BenchClient): Promise<number> {
  const res = await fetch(`${cloud.base}/metrics`);
  const line = (await res.text()).split('\n').find((l) => l.startsWith('pos_cloud_long_poll_waiters '));
  return line ? Number(line.split(' ')[1]) : 0;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_cloud');
  const tmp = await createTempDir('bench-cloud');
  const redisPrefix = createRedisPrefix('bench-cloud');
  let cloud: AppProcess | undefined;
  try {
    const port = await freePort();
    cloud = await startAppProcess({
      name: 'cloud',
      entry: 'dist/apps/cloud/src/main.js',
      env: {
        PORT: String(port),
        DATABASE_URL: db.url,
        DATABASE_POOL_SIZE: '20',
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: redisPrefix,
        DEV_KEYS_FILE: path.join(tmp.path, 'keys.json'),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        ADMIN_TENANT: ADMIN.tenant,
        LOG_LEVEL: 'warn',
        // Node's own options come from startAppProcess, as docker/cloud.Dockerfile runs it;
        // BENCH_NODE_OPTIONS adds to them (to profile, say).
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    const anyone = new BenchClient(`http://127.0.0.1:${port}`);
    const login = await anyone.ok<LoginResponse>('POST', '/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const admin = anyone.as(login.accessToken);
    const tenantId = login.operator.tenantId;

    console.log(`cloud benchmark (built cloud on ${db.name}; ${INGEST_NODES} uploading nodes; ${FANOUT_NODES} long-polling nodes)`);
    const uploaders = await registerNodes(admin, anyone, 'ING', INGEST_NODES);
    const ingest: { first: number; resend: number; total: number }[] = [];
    for (let round = 0; PARTS.includes('ingest') && round < INGEST_ROUNDS; round += 1) {
      const result = await ingestRound(tenantId, uploaders, round);
      ingest.push(result);
      console.log(`  ingest round ${round + 1}: ${fmt(result.total)} events, first send ${fmt(result.first)} events/s, resend ${fmt(result.resend)} events/s`);
    }

    const registering = performance.now();
    const fleet = PARTS.includes('fanout') ? await registerNodes(admin, anyone, 'FAN', FANOUT_NODES) : [];
    console.log(`  registered ${FANOUT_NODES} nodes through bootstrap tokens in ${fmt(performance.now() - registering)} ms`);
    const fanout: Awaited<ReturnType<typeof fanoutRound>>[] = [];
    const perStore: Awaited<ReturnType<typeof fanoutRound>>[] = [];
    for (let round = 0; PARTS.includes('fanout') && round < FANOUT_ROUNDS; round += 1) {
      for (const mode of ['fleet', 'per-store'] as const) {
        const result = await fanoutRound(admin, anyone, fleet, 2 * round + (mode === 'fleet' ? 1 : 2), mode);
        (mode === 'fleet' ? fanout : perStore).push(result);
        console.log(
          `  fan-out round ${round + 1}, ${mode === 'fleet' ? 'one fleet publish' : '1,000 store publishes'}: all ${FANOUT_NODES} nodes ` +
            `held their command ${fmt(result.all)} ms after publishing started (publishing took ${fmt(result.publishedAll)} ms; ` +
            `publish-to-node p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms)`,
        );
      }
    }

    const first = median(ingest.map((r) => r.first));
    const resend = median(ingest.map((r) => r.resend));
    const all = median(fanout.map((r) => r.all));
    const allPerStore = median(perStore.map((r) => r.all));
    const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');
    console.log('\nmedians');
    console.log(`  ingest, first send   ${fmt(first).padStart(8)} events/s   target >= ${fmt(TARGET_INGEST_PER_S)}: ${verdict(first >= TARGET_INGEST_PER_S)}`);
    console.log(`  ingest, resend       ${fmt(resend).padStart(8)} events/s   target >= first send: ${verdict(resend >= first)}`);
    console.log(
      `  1,000-node fan-out, one fleet publish        ${fmt(all).padStart(6)} ms   target <= ${fmt(TARGET_FANOUT_MS)}: ${verdict(all <= TARGET_FANOUT_MS)}`,
    );
    console.log(`  1,000-node fan-out, 1,000 store publishes    ${fmt(allPerStore).padStart(6)} ms   (${PUBLISH_CONCURRENCY} requests in flight)`);
    console.log(
      `  publish-to-node p50 / p99: fleet ${fmt(median(fanout.map((r) => r.p50)))} / ${fmt(median(fanout.map((r) => r.p99)))} ms, per store ` +
        `${fmt(median(perStore.map((r) => r.p50)))} / ${fmt(median(perStore.map((r) => r.p99)))} ms`,
    );
  } catch (error) {
    console.error(`--- cloud output (last lines) ---\n${cloud?.output().slice(-4_000) ?? ''}`);
    throw error;
  } finally {
    closeClients();
    await cloud?.stop();
    // BENCH_KEEP_DB=1 keeps the database for a look at query plans afterwards.
    if (process.env.BENCH_KEEP_DB === '1') console.log(`kept database ${db.name}`);
    else await db.drop();
    await Promise.all([tmp.remove(), deleteRedisPrefix(redisPrefix)]);
  }
}

await main();
