import { uuidv7, type CloudEventsPage, type CommandDetailView, type EventBase } from '@app/contracts';
import { HubClient } from '@app/device-client';
import { LoopStack, waitFor } from '@app/testing';
import { percentile } from '../stats.js';

/**
 * `npm run bench:loop`: the whole loop as real processes (cloud, edge, agent, on a fresh database),
 * the agent with its default timers.
 *  1. Publish to ACKED: 200 menu revisions published one after the other; each one's latency runs
 *     from the moment the operator's publish request is sent to the cloud's `ackedAt`.
 *  2. Device to cloud: a till appends order events at a steady rate; each one's latency runs from
 *     the append at the device to the moment an operator's read of the store's events returns it
 *     (read every 10 ms, so the figure includes up to 10 ms of reading).
 */
const REVISIONS = Number(process.env.BENCH_REVISIONS ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000);
const EVENTS_PER_SECOND = Number(process.env.BENCH_EVENTS_PER_SECOND ?? 50);
const TARGETS = { publishP50: 500, publishP99: 2_000, deviceP99: 2_000 };

/** The agent as shipped: the defaults of .env.example, not the short timers of the tests. */
const AGENT_DEFAULTS = {
  HEARTBEAT_INTERVAL_SECONDS: '15',
  COMMAND_POLL_WAIT_SECONDS: '25',
  UPLINK_IDLE_MS: '200',
  DOWNLINK_INTERVAL_SECONDS: '5',
  RETRY_BASE_MS: '500',
  RETRY_MAX_MS: '30000',
  LOG_LEVEL: 'warn',
};

const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const verdict = (value: number, target: number) => (value <= target ? `ok (target <= ${ms(target)})` : `MISSED (target <= ${ms(target)})`);

async function publishToAcked(stack: LoopStack): Promise<number[]> {
  const latencies: number[] = [];
  for (let n = 1; n <= REVISIONS; n += 1) {
    const sent = Date.now();
    const { commandId } = await stack.publish('menu', {
      items: [{ sku: `BENCH-${n % 20}`, name: `Bench item ${n}`, priceCents: 100 + n, category: 'Bench', station: 'kitchen', available: true }],
    });
    const acked = await waitFor(
      async () => {
        const command = await stack.admin.ok<CommandDetailView>('GET', `/api/v1/commands/${commandId}`);
        if (command.status === 'DEAD_LETTER' || command.status === 'FAILED')
          throw new Error(`command ${commandId} ${command.status}: ${command.lastErrorCode} ${command.lastErrorDetail}`);
        return command.status === 'ACKED' ? command : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 5, what: `revision ${n} to be ACKED` },
    );
    const latency = Date.parse(acked.ackedAt!) - sent;
    latencies.push(latency);
    // An outlier is worth a look: where did the time go, before delivery or after?
    if (latency > TARGETS.publishP99) {
      console.log(
        `  revision ${n} took ${ms(latency)}: published ${acked.createdAt}, delivered ${acked.deliveredAt}, acked ${acked.ackedAt} (attempt ${acked.attempts})`,
      );
    }
  }
  return latencies;
}

async function deviceToCloud(stack: LoopStack): Promise<number[]> {
  const till = new HubClient({
    url: stack.edgeUrl,
    token: await stack.deviceToken('till-bench'),
    deviceId: 'till-bench',
    tenantId: stack.tenantId,
    storeId: stack.storeId,
    storePath: ':memory:',
  });
  await till.connect();
  const appendedAt = new Map<string, number>();
  const latencies: number[] = [];
  let cursor = 0;
  for (;;) {
    const page = await stack.admin.ok<CloudEventsPage>('GET', `/api/v1/stores/${stack.storeId}/events?after=${cursor}&limit=1000`);
    if (page.events.length === 0) break;
    cursor = page.nextCursor;
  }
  let reading = true;
  const reader = (async () => {
    while (reading || latencies.length < EVENTS) {
      const page = await stack.admin.ok<CloudEventsPage>('GET', `/api/v1/stores/${stack.storeId}/events?after=${cursor}&limit=1000`);
      const now = Date.now();
      for (const event of page.events) {
        const at = appendedAt.get(event.eventId);
        if (at !== undefined) latencies.push(now - at);
      }
      if (page.events.length > 0) cursor = page.nextCursor;
      else await new Promise((r) => setTimeout(r, 10));
      if (!reading && latencies.length >= EVENTS) break;
    }
  })();
  const started = Date.now();
  const appends: Promise<unknown>[] = [];
  for (let i = 0; i < EVENTS; i += 1) {
    const due = started + (i * 1000) / EVENTS_PER_SECOND;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const orderId = `bench-${Math.floor(i / 2)}`;
    const event: EventBase = {
      eventId: uuidv7(),
      tenantId: stack.tenantId,
      storeId: stack.storeId,
      aggregateType: 'order',
      aggregateId: orderId,
      version: (i % 2) + 1,
      type: i % 2 === 0 ? 'order.created' : 'order.paid',
      at: new Date().toISOString(),
      actor: { deviceId: 'till-bench' },
      clock: { lamport: i + 1, deviceId: 'till-bench' },
      payload: i % 2 === 0 ? { items: [{ sku: 'BENCH-1', qty: 1, priceCents: 1000 }] } : { totalCents: 1000, method: 'card' },
    };
    appendedAt.set(event.eventId, Date.now());
    appends.push(till.append(event));
  }
  await Promise.all(appends);
  reading = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`only ${latencies.length} of ${EVENTS} events reached the cloud within 60 s`)), 60_000)),
  );
  try {
    await Promise.race([reader, timeout]);
  } finally {
    clearTimeout(timer);
  }
  till.close();
  return latencies;
}

const booted = Date.now();
const stack = await LoopStack.start({ label: 'bench-loop', agentEnv: AGENT_DEFAULTS, cloudEnv: { LOG_LEVEL: 'warn', COMMAND_ACK_TIMEOUT_SECONDS: '30' } });
try {
  console.log(`the loop is up in ${ms(Date.now() - booted)}`);
  let phase = Date.now();
  console.log(`publish to ACKED: ${REVISIONS} menu revisions, one after the other`);
  const publish = await publishToAcked(stack);
  console.log(`  done in ${ms(Date.now() - phase)}`);
  phase = Date.now();
  console.log(`device to cloud: ${EVENTS} order events at ${EVENTS_PER_SECOND}/s from one till`);
  const device = await deviceToCloud(stack);
  console.log(`  done in ${ms(Date.now() - phase)}`);
  const p = { publishP50: percentile(publish, 50), publishP99: percentile(publish, 99), deviceP50: percentile(device, 50), deviceP99: percentile(device, 99) };
  console.log(`
| figure | result | target |
| --- | --- | --- |
| publish to ACKED, p50 | ${ms(p.publishP50)} | ${verdict(p.publishP50, TARGETS.publishP50)} |
| publish to ACKED, p99 | ${ms(p.publishP99)} (max ${ms(Math.max(...publish))}) | ${verdict(p.publishP99, TARGETS.publishP99)} |
| device to cloud, p50 | ${ms(p.deviceP50)} | |
| device to cloud, p99 | ${ms(p.deviceP99)} (max ${ms(Math.max(...device))}) | ${verdict(p.deviceP99, TARGETS.deviceP99)} |`);
} finally {
  const closing = Date.now();
  await stack.close();
  console.log(`stopped in ${ms(Date.now() - closing)}`);
}
