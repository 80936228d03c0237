import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { generateEs256KeyPair, signClusterToken } from '@app/crypto';
import { HubClient } from '@app/device-client';
import { createTempDir, freePort, startAppProcess, type AppProcess, type TempDir } from '@app/testing';
import { nowMs } from './bench-events.js';
import type { WorkerCommand, WorkerSetup } from './bench-worker.js';

/**
 * `npm run bench:edge`: the built edge hub as a process (synchronous=FULL, tokens checked) and 20
 * devices using @app/device-client, spread over two worker threads of this process (one per core:
 * more threads only add context switches on the 2-core machine).
 *  1. Relay latency: 500 events/s in total for 10 s (each device every 40 ms, devices evenly
 *     spread); latency from append to arrival at each of the 19 other devices.
 *  2. Saturation: every device appends 1,000 events at once (64 in flight each); the clock stops
 *     when all 20 devices hold all 20,000 events. 3 rounds, median.
 *  3. Catch-up: a fresh device connects with cursor 0 to a log of more than 100,000 events.
 *  4. The hub's RSS (now and peak) from /proc.
 */
const REALM = { tenantId: 't-bench', storeId: 's-bench' };
const DEVICES = 20;
const WORKERS = Number(process.env.BENCH_EDGE_WORKERS ?? 2);
const STEADY_RATE = 500;
const STEADY_MS = Number(process.env.BENCH_EDGE_STEADY_MS ?? 10_000);
/** A first steady phase whose figures are dropped: the hub's and the devices' code is compiled by then. */
const WARMUP_MS = Number(process.env.BENCH_EDGE_WARMUP_MS ?? 3_000);
const SATURATE_PER_DEVICE = 1_000;
const SATURATE_ROUNDS = Number(process.env.BENCH_EDGE_ROUNDS ?? 3);
const CATCH_UP_MIN = Number(process.env.BENCH_EDGE_CATCH_UP_MIN ?? 100_000);
const TARGETS = { p99Ms: 5, appendsPerS: 3_000, catchUpPerS: 50_000, rssMb: 150 };

interface WorkerHandle {
  worker: Worker;
  request<T>(command: WorkerCommand, reply: string): Promise<T>;
}

function startWorker(setup: WorkerSetup): WorkerHandle {
  const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { workerData: setup });
  const waiting = new Map<string, (value: unknown) => void>();
  worker.on('message', (message: { type: string; message?: string }) => {
    if (message.type === 'error') {
      console.error(`worker error: ${message.message}`);
      process.exitCode = 1;
      return;
    }
    waiting.get(message.type)?.(message);
    waiting.delete(message.type);
  });
  worker.on('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  return {
    worker,
    request<T>(command: WorkerCommand, reply: string) {
      return new Promise<T>((resolve) => {
        waiting.set(reply, resolve as (value: unknown) => void);
        worker.postMessage(command);
      });
    },
  };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** CPU seconds (user + system) the process has used so far. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');

async function main(): Promise<void> {
  const keys = generateEs256KeyPair();
  const tmp: TempDir = await createTempDir('bench-edge');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let hub: AppProcess | null = null;
  const workers: WorkerHandle[] = [];
  try {
    hub = await startAppProcess({
      name: 'edge',
      entry: 'dist/apps/edge/src/main.js',
      env: { HOST: '127.0.0.1', PORT: String(port), ...{ TENANT_ID: REALM.tenantId, STORE_ID: REALM.storeId }, CLUSTER_PUBLIC_KEY_BASE64: keys.publicKeyBase64, EDGE_DATA_DIR: tmp.path, MDNS_ENABLED: 'false', LOG_LEVEL: 'warn', ...(process.env.BENCH_HUB_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_HUB_NODE_OPTIONS } : {}) },
      readyUrl: `${url}/healthz`,
    });
    const pid = hub.child.pid!;
    console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`edge benchmark: built hub (pid ${pid}, synchronous=FULL) and ${DEVICES} devices in ${WORKERS} worker threads; ${os.cpus().length} CPUs, Node ${process.version}`);

    const token = (deviceId: string) => signClusterToken({ sub: deviceId, ...REALM, role: 'device' }, keys.privateKey, 3600);
    const perWorker = DEVICES / WORKERS;
    for (let w = 0; w < WORKERS; w += 1) {
      const devices = Array.from({ length: perWorker }, (_, i) => `till-${String(i * WORKERS + w + 1).padStart(2, '0')}`).map((deviceId) => ({ deviceId, token: token(deviceId) }));
      workers.push(startWorker({ url, ...REALM, devices }));
    }
    await Promise.all(workers.map((w) => w.request({ cmd: 'connect' }, 'connected')));

    // 1. relay latency at a steady 500 events/s, after a warm-up at the same rate
    const intervalMs = (DEVICES * 1000) / STEADY_RATE;
    let warmedUp = 0;
    if (WARMUP_MS > 0) {
      const warm = await Promise.all(
        workers.map((w, i) => w.request<{ sent: number }>({ cmd: 'steady', intervalMs, durationMs: WARMUP_MS, offsetMs: (i * intervalMs) / DEVICES }, 'steady')),
      );
      warmedUp = warm.reduce((n, s) => n + s.sent, 0);
      console.log(`  warm-up: ${fmt(WARMUP_MS / 1000, 1)} s at ${fmt(STEADY_RATE)} events/s, not measured`);
    }
    let cpuBefore = cpuOf(pid);
    let rssDuringSteady = 0;
    const sampler = setInterval(() => (rssDuringSteady = Math.max(rssDuringSteady, memoryOf(pid).rssMb)), 250);
    const steady = await Promise.all(
      workers.map((w, i) => w.request<{ sent: number; latencies: Float64Array }>({ cmd: 'steady', intervalMs, durationMs: STEADY_MS, offsetMs: (i * intervalMs) / DEVICES }, 'steady')),
    );
    clearInterval(sampler);
    const sent = steady.reduce((n, s) => n + s.sent, 0);
    const steadyCpu = cpuOf(pid) - cpuBefore;
    const samples = Float64Array.from(steady.flatMap((s) => [...s.latencies])).sort();
    const expected = sent * (DEVICES - 1);
    const latency = { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples[samples.length - 1]! };
    console.log(`  steady: ${fmt(sent)} events in ${fmt(STEADY_MS / 1000, 1)} s (${fmt(sent / (STEADY_MS / 1000))}/s), ${fmt(samples.length)} of ${fmt(expected)} relays measured`);
    console.log(`  relay latency p50 ${fmt(latency.p50, 2)} ms, p99 ${fmt(latency.p99, 2)} ms, max ${fmt(latency.max, 2)} ms; hub CPU ${fmt((steadyCpu / (STEADY_MS / 1000)) * 100)}% of a core, RSS up to ${fmt(rssDuringSteady, 1)} MB`);
    let seq = warmedUp + sent;

    // 2. saturated durable appends, relayed to all 20
    const rates: number[] = [];
    const runSaturation = async (label: string) => {
      const targetSeq = seq + DEVICES * SATURATE_PER_DEVICE;
      cpuBefore = cpuOf(pid);
      const started = nowMs();
      const results = await Promise.all(workers.map((w) => w.request<{ doneAt: number; acked: number }>({ cmd: 'saturate', perDevice: SATURATE_PER_DEVICE, targetSeq }, 'saturate')));
      const seconds = (Math.max(...results.map((r) => r.doneAt)) - started) / 1000;
      const acked = results.reduce((n, r) => n + r.acked, 0);
      seq = targetSeq;
      const rate = acked / seconds;
      const cpu = cpuOf(pid) - cpuBefore;
      console.log(`  ${label}: ${fmt(acked)} appends in ${fmt(seconds, 2)} s: ${fmt(rate)} appends/s, ${fmt(rate * (DEVICES - 1))} relay deliveries/s; hub CPU ${fmt((cpu * 1e6) / acked)} µs an event (${fmt((cpu / seconds) * 100)}% of a core)`);
      return rate;
    };
    for (let round = 1; round <= SATURATE_ROUNDS; round += 1) rates.push(await runSaturation(`saturation round ${round}`));
    while (seq < CATCH_UP_MIN) await runSaturation('filling the log');

    // 3. catch-up of a device that holds nothing
    const reader = new HubClient({ url, token: token('kds-catchup'), deviceId: 'kds-catchup', ...REALM });
    let received = 0;
    reader.on('event', () => (received += 1));
    const catchUpStarted = nowMs();
    await reader.connect();
    await reader.waitCaughtUp();
    const catchUpSeconds = (nowMs() - catchUpStarted) / 1000;
    reader.close();
    if (received !== seq) throw new Error(`catch-up delivered ${received} events, the hub holds ${seq}`);
    const catchUpRate = received / catchUpSeconds;
    console.log(`  catch-up: ${fmt(received)} events in ${fmt(catchUpSeconds, 2)} s: ${fmt(catchUpRate)} events/s`);

    // 4. memory
    const memory = memoryOf(pid);
    const saturated = median(rates);
    console.log('\nresults');
    console.log(`  relay latency p50 / p99 / max   ${fmt(latency.p50, 2)} / ${fmt(latency.p99, 2)} / ${fmt(latency.max, 2)} ms   target p99 <= ${TARGETS.p99Ms} ms: ${verdict(latency.p99 <= TARGETS.p99Ms)}`);
    console.log(`  saturated appends (median)      ${fmt(saturated)} appends/s, ${fmt(saturated * (DEVICES - 1))} deliveries/s   target >= ${fmt(TARGETS.appendsPerS)}: ${verdict(saturated >= TARGETS.appendsPerS)}`);
    console.log(`  catch-up                        ${fmt(catchUpRate)} events/s   target >= ${fmt(TARGETS.catchUpPerS)}: ${verdict(catchUpRate >= TARGETS.catchUpPerS)}`);
    console.log(`  hub RSS at 500 ev/s             ${fmt(rssDuringSteady, 1)} MB   target <= ${TARGETS.rssMb} MB: ${verdict(rssDuringSteady <= TARGETS.rssMb)}`);
    console.log(`  hub RSS now / peak              ${fmt(memory.rssMb, 1)} / ${fmt(memory.peakMb, 1)} MB (peak during saturation)`);
    const slow = [...hub.output().matchAll(/slow group commit: (\d+) events in (\d+) ms/g)].map((m) => Number(m[2]));
    console.log(`  hub commits over 100 ms (fsync stalls of the disk): ${slow.length}${slow.length ? `, longest ${fmt(Math.max(...slow))} ms` : ''}`);
    console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await Promise.all(workers.map((w) => w.request({ cmd: 'close' }, 'closed').catch(() => undefined)));
    await Promise.all(workers.map((w) => w.worker.terminate()));
    await hub?.stop();
    await tmp.remove();
  }
}

await main();
