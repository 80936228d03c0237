import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HUB_EVENTS, uuidv7, type AppendAck, type StoredEvent } from '@app/contracts';
import { generateEs256KeyPair, signClusterToken, type GeneratedKeyPair } from '@app/crypto';
import { HubClient } from '@app/device-client';
import { StalledSocketIo, createTempDir, freePort, makeEvent, startAppProcess, waitFor, type AppProcess, type TempDir } from '@app/testing';
import { io, type Socket } from 'socket.io-client';

/**
 * Issue 13, finding 3: a device that asks for catch-up pages and never reads them took the hub
 * from 135 MB to 3.2 GB in 21 s (and killed a hub with a 512 MB heap in 9 s). Here the built hub
 * runs as a process over a log of 3,000 events (pages of about 1 MB); a bare websocket that never
 * reads says hello and then asks for the first page 200 times a second for 15 s, while the test
 * samples the hub's RSS, times /healthz, and checks that a well-behaved device keeps getting its
 * relays.
 */
const REALM = { tenantId: uuidv7(), storeId: uuidv7() };
const LOG_EVENTS = 3_000;
const FLOOD_MS = 15_000;
const REQUEST_EVERY_MS = 5;
const RSS_BOUND_MB = 300;
const HEALTHZ_BOUND_MS = 2_000;

interface Sample {
  rssMb: number;
  healthzMs: number;
  status: number;
}

describe('a device that asks for catch-up pages and never reads them (built hub)', () => {
  let keys: GeneratedKeyPair;
  let tmp: TempDir;
  let hub: AppProcess | null = null;
  const clients: HubClient[] = [];
  const sockets: Socket[] = [];
  const stalled: StalledSocketIo[] = [];

  beforeAll(async () => {
    keys = generateEs256KeyPair();
    tmp = await createTempDir('edge-backlog-e2e');
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of sockets.splice(0)) s.disconnect();
    for (const s of stalled.splice(0)) s.destroy();
    await hub?.stop();
    hub = null;
  });

  afterAll(async () => {
    await tmp.remove();
  });

  const token = (deviceId: string) => signClusterToken({ sub: deviceId, ...REALM, role: 'device' }, keys.privateKey, 3600);

  async function startHub(label: string, nodeOptions?: string): Promise<{ url: string; port: number; proc: AppProcess }> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    hub = await startAppProcess({
      name: `edge-backlog-${label}`,
      entry: 'dist/apps/edge/src/main.js',
      env: {
        HOST: '127.0.0.1',
        PORT: String(port),
        TENANT_ID: REALM.tenantId,
        STORE_ID: REALM.storeId,
        CLUSTER_PUBLIC_KEY_BASE64: keys.publicKeyBase64,
        EDGE_DATA_DIR: path.join(tmp.path, label),
        MDNS_ENABLED: 'false',
        EDGE_RATE_LIMIT_PER_SECOND: '5000',
        EDGE_RATE_LIMIT_BURST: '5000',
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
      },
      readyUrl: `${url}/healthz`,
    });
    return { url, port, proc: hub };
  }

  function rawDevice(url: string, deviceId: string): Socket {
    const socket = io(url, { transports: ['websocket'], reconnection: false, auth: { token: token(deviceId) } });
    sockets.push(socket);
    return socket;
  }

  /** An order with a long note on each of its items: about 1 KB a stored event. */
  const order = (deviceId: string) =>
    makeEvent({
      ...REALM,
      aggregateId: uuidv7(),
      actor: { deviceId },
      clock: { lamport: 1, deviceId },
      payload: {
        items: Array.from({ length: 4 }, (_, i) => ({
          sku: `FLAT-WHITE-LARGE-OAT-${i}`,
          qty: 1,
          name: 'Flat white, large, oat milk, extra shot',
          note: `table by the window, ${'no sugar please '.repeat(10)}`,
        })),
      },
    });

  async function seed(url: string): Promise<void> {
    const writer = rawDevice(url, 'till-seed');
    await new Promise<void>((resolve, reject) => writer.once('connect', resolve).once('connect_error', reject));
    for (let done = 0; done < LOG_EVENTS; done += 500) {
      const acks = await Promise.all(Array.from({ length: 500 }, () => writer.emitWithAck(HUB_EVENTS.eventsAppend, order('till-seed')) as Promise<AppendAck>));
      expect(acks.every((a) => a.ok)).toBe(true);
    }
  }

  /** The hub's resident memory; NaN once the process is gone. */
  function rssMb(pid: number): number {
    try {
      const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return line ? Number(line[1]) / 1024 : Number.NaN;
    } catch {
      return Number.NaN;
    }
  }

  async function timedHealthz(url: string): Promise<{ ms: number; status: number }> {
    const started = performance.now();
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(HEALTHZ_BOUND_MS * 2) });
      return { ms: performance.now() - started, status: response.status };
    } catch {
      return { ms: performance.now() - started, status: 0 };
    }
  }

  async function run(label: string, nodeOptions?: string): Promise<void> {
    const { url, port, proc } = await startHub(label, nodeOptions);
    await seed(url);
    const baselineMb = rssMb(proc.child.pid!);

    // The well-behaved pair: a till that keeps appending, a KDS that must get every one of them.
    const kds = new HubClient({ url, token: token('kds-good'), deviceId: 'kds-good', ...REALM });
    clients.push(kds);
    const relayed: StoredEvent[] = [];
    kds.on('event', (event, source) => {
      if (source === 'relay') relayed.push(event);
    });
    await kds.connect();
    await kds.waitCaughtUp();
    const till = rawDevice(url, 'till-good');
    await new Promise<void>((resolve, reject) => till.once('connect', resolve).once('connect_error', reject));

    // The hostile device: hello (which joins the realm and sends the first page), then asks for
    // the first page again and again, and never reads a byte.
    const bad = await StalledSocketIo.connect('127.0.0.1', port, { token: token('kds-stuck') });
    stalled.push(bad);
    bad.stopReading();
    bad.emit(HUB_EVENTS.hello, { deviceId: 'kds-stuck', ...REALM, cursor: 0 });

    const samples: Sample[] = [];
    const appended: number[] = [];
    const until = Date.now() + FLOOD_MS;
    const flood = (async () => {
      let requests = 0;
      while (Date.now() < until && !bad.destroyed) {
        bad.emit(HUB_EVENTS.cursorRequest, { fromSeq: 0 });
        requests += 1;
        await new Promise((resolve) => setTimeout(resolve, REQUEST_EVERY_MS));
      }
      return requests;
    })();
    let appendFailures = 0;
    const appends = (async () => {
      while (Date.now() < until) {
        try {
          const ack = (await till.timeout(HEALTHZ_BOUND_MS * 2).emitWithAck(HUB_EVENTS.eventsAppend, order('till-good'))) as AppendAck;
          if (ack.ok) appended.push(ack.seq);
          else appendFailures += 1;
        } catch {
          appendFailures += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    while (Date.now() < until) {
      const healthz = await timedHealthz(url);
      samples.push({ rssMb: rssMb(proc.child.pid!), healthzMs: healthz.ms, status: healthz.status });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const requests = await flood;
    await appends;

    const alive = samples.filter((s) => !Number.isNaN(s.rssMb));
    const peakMb = Math.max(...alive.map((s) => s.rssMb));
    const slowestMs = Math.max(...samples.map((s) => s.healthzMs));
    process.stdout.write(
      `[${label}] ${requests} page requests in ${FLOOD_MS} ms; RSS baseline ${baselineMb.toFixed(0)} MB, peak ${peakMb.toFixed(0)} MB; ` +
        `slowest /healthz ${slowestMs.toFixed(0)} ms, ${samples.filter((s) => s.status !== 200).length} of ${samples.length} not 200; ` +
        `hub ${proc.child.exitCode === null && alive.length === samples.length ? 'alive' : 'dead'}; ${appended.length} appends acked, ` +
        `${appendFailures} failed\n`,
    );

    expect(requests).toBeGreaterThan(1_000);
    expect(proc.child.exitCode).toBeNull();
    expect(alive.length).toBe(samples.length);
    expect(appendFailures).toBe(0);
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    expect(slowestMs).toBeLessThan(HEALTHZ_BOUND_MS);
    expect(peakMb - baselineMb).toBeLessThan(RSS_BOUND_MB);
    // The KDS got every event the till appended meanwhile, in order.
    expect(appended.length).toBeGreaterThan(50);
    await waitFor(() => relayed.length >= appended.length, { what: 'the relays of the good till' });
    expect(relayed.map((e) => e.seq)).toEqual(appended);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }

  it('should keep the hub bounded in memory, /healthz answering and the other devices served', async () => {
    await run('default-heap');
  });

  it('should survive it with a 512 MB heap (a small box)', async () => {
    await run('heap-512', '--max-old-space-size=512');
  });
});
