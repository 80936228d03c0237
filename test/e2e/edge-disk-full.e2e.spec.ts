import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HUB_EVENTS, uuidv7, type AppendAck, type EventBase, type EventsBulk } from '@app/contracts';
import { generateEs256KeyPair, signClusterToken, type GeneratedKeyPair } from '@app/crypto';
import { freePort, makeEvent, startAppProcess, waitFor, type AppProcess } from '@app/testing';
import { io, type Socket } from 'socket.io-client';

/**
 * Issue 13, finding 10: with the edge's disk full, devices got UNAVAILABLE (nothing was lost) but
 * /healthz said 200 and nothing was logged. The built hub runs here with its EDGE_DATA_DIR on a
 * real 8 MB tmpfs (mounted by the test: CI runs as root); a filler file takes the rest of it.
 */
const REALM = { tenantId: uuidv7(), storeId: uuidv7() };
const TMPFS_SIZE = '8m';

describe('a full edge disk (built hub on a small tmpfs)', () => {
  let keys: GeneratedKeyPair;
  let mountPoint: string;
  let hub: AppProcess | null = null;
  const sockets: Socket[] = [];

  beforeAll(() => {
    keys = generateEs256KeyPair();
    mountPoint = mkdtempSync(path.join(tmpdir(), 'edge-disk-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', mountPoint]);
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await hub?.stop();
    hub = null;
  });

  afterAll(() => {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  const dataDir = () => path.join(mountPoint, 'edge');
  const token = (deviceId: string) => signClusterToken({ sub: deviceId, ...REALM, role: 'device' }, keys.privateKey, 3600);

  async function startHub(port: number): Promise<string> {
    const url = `http://127.0.0.1:${port}`;
    hub = await startAppProcess({
      name: 'edge-disk-full',
      entry: 'dist/apps/edge/src/main.js',
      env: {
        HOST: '127.0.0.1',
        PORT: String(port),
        TENANT_ID: REALM.tenantId,
        STORE_ID: REALM.storeId,
        CLUSTER_PUBLIC_KEY_BASE64: keys.publicKeyBase64,
        EDGE_DATA_DIR: dataDir(),
        MDNS_ENABLED: 'false',
        EDGE_RATE_LIMIT_BURST: '5000',
      },
      readyUrl: `${url}/healthz`,
    });
    return url;
  }

  async function device(url: string, deviceId: string): Promise<Socket> {
    const socket = io(url, { transports: ['websocket'], reconnection: false, auth: { token: token(deviceId) } });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    return socket;
  }

  /** An order of about 2 KB stored. */
  const order = () =>
    makeEvent({
      ...REALM,
      aggregateId: uuidv7(),
      actor: { deviceId: 'till-1' },
      clock: { lamport: 1, deviceId: 'till-1' },
      payload: {
        items: Array.from({ length: 8 }, (_, i) => ({
          sku: `FLAT-WHITE-LARGE-OAT-${i}`,
          qty: 1,
          name: 'Flat white, large, oat milk, extra shot',
          note: `table by the window, ${'no sugar please '.repeat(8)}`,
        })),
      },
    });

  /** Fills what is left of the tmpfs with a file, until the kernel says ENOSPC. */
  function fill(file: string): number {
    const fd = openSync(file, 'w');
    const chunk = Buffer.alloc(16 * 1024, 0x2e);
    let written = 0;
    try {
      for (;;) written += writeSync(fd, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    } finally {
      closeSync(fd);
    }
    return written;
  }

  async function healthz(url: string): Promise<{ status: number; body: { status: string; code?: string; message?: string } }> {
    const response = await fetch(`${url}/healthz`);
    return { status: response.status, body: (await response.json()) as { status: string; code?: string } };
  }

  /** Every eventId in the hub's log, read page by page as a device catches up. */
  async function logOf(url: string): Promise<string[]> {
    const reader = await device(url, `reader-${uuidv7()}`);
    const ids: string[] = [];
    let cursor = 0;
    for (;;) {
      const page = new Promise<EventsBulk>((resolve) => reader.once(HUB_EVENTS.eventsBulk, resolve));
      reader.emit(HUB_EVENTS.cursorRequest, { fromSeq: cursor });
      const { events, nextCursor, hasMore } = await page;
      ids.push(...events.map((e) => e.eventId));
      cursor = nextCursor;
      if (!hasMore) return ids;
    }
  }

  it(
    'should answer /healthz 503 DISK_FULL and log the reason while writes fail, then heal by itself once space returns, losing nothing ' + 'acknowledged',
    async () => {
      const port = await freePort();
      const url = await startHub(port);
      const till = await device(url, 'till-1');
      const append = async (event = order()) => ({ event, ack: (await till.emitWithAck(HUB_EVENTS.eventsAppend, event)) as AppendAck });
      const acked: string[] = [];
      for (let i = 0; i < 50; i++) {
        const { event, ack } = await append();
        expect(ack).toMatchObject({ ok: true });
        acked.push(event.eventId);
      }
      expect((await healthz(url)).status).toBe(200);

      // The disk fills up (a log, a backup, another process): appends fail from some point on.
      const filler = path.join(mountPoint, 'filler');
      expect(fill(filler)).toBeGreaterThan(0);
      // What the device keeps in its outbox and sends again later.
      const kept: EventBase[] = [];
      let refused: AppendAck | null = null;
      for (let i = 0; i < 3_000 && !refused; i++) {
        const { event, ack } = await append();
        if (ack.ok) acked.push(event.eventId);
        else {
          refused = ack;
          kept.push(event);
        }
      }
      expect(refused).toEqual({ ok: false, code: 'UNAVAILABLE', message: 'the hub could not store the event; retry later' });
      process.stdout.write(`[disk-full] ${acked.length - 50} appends acked after the fill, then UNAVAILABLE\n`);

      // /healthz says so, with the code, and so does the log, with SQLite's reason.
      const sick = await healthz(url);
      expect(sick).toMatchObject({ status: 503, body: { status: 'unavailable', code: 'DISK_FULL', message: expect.stringContaining('SQLITE_FULL') } });
      await waitFor(() => /SQLITE_FULL/.test(hub!.output()) && /cannot write its events \(DISK_FULL/.test(hub!.output()), {
        what: 'a log line naming SQLITE_FULL',
      });
      // More appends keep failing, and /healthz keeps saying so.
      expect((await append()).ack).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
      expect((await healthz(url)).status).toBe(503);

      // Space returns, with no traffic: the probe sees it and /healthz is 200 again.
      unlinkSync(filler);
      await waitFor(async () => (await healthz(url)).status === 200, { what: '/healthz 200 once space returned', timeoutMs: 15_000 });
      expect(hub!.output()).toMatch(/writes its events again \(DISK_FULL since/);
      // The event the device kept goes in now, and new ones too.
      for (const event of kept) {
        expect((await append(event)).ack).toMatchObject({ ok: true });
        expect((await append(event)).ack).toMatchObject({ ok: true, duplicate: true });
        acked.push(event.eventId);
      }
      for (let i = 0; i < 20; i++) {
        const { event, ack } = await append();
        expect(ack).toMatchObject({ ok: true });
        acked.push(event.eventId);
      }

      // Nothing acknowledged is lost, before and after a restart.
      const before = new Set(await logOf(url));
      expect(acked.filter((id) => !before.has(id))).toEqual([]);
      for (const s of sockets.splice(0)) s.disconnect();
      await hub!.stop();
      await startHub(port);
      const after = new Set(await logOf(url));
      expect(acked.filter((id) => !after.has(id))).toEqual([]);
      expect(after.size).toBe(acked.length);
    },
  );
});
