import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { HUB_EVENTS, uuidv7, type EventBase, type HelloAck } from '@app/contracts';
import { DeviceStore, HubClient } from '@app/device-client';
import { createTempDir, makeEvent, metricSample, waitFor, type TempDir } from '@app/testing';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';
import { EventStoreService } from '../event-store/event-store.service.js';
import { REALM, connectDevice, deviceToken, handshakeOutcome, rawSocket } from '../../test/hub-devices.js';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { CloudSigner } from '../../test/signed-commands.js';
import { LogRetentionService } from './log-retention.service.js';

const DAY_MS = 86_400_000;

describe(LogRetentionService.name, () => {
  let edge: EdgeTestApp;
  let url: string;
  let tmp: TempDir;
  let db: SqliteDatabase;
  let agent: string;
  let lamport: number;
  const clients: HubClient[] = [];

  async function start(env: Record<string, string> = {}) {
    edge = await startEdgeTestApp('log-retention', {
      EDGE_LOG_RETENTION_DAYS: '30',
      EDGE_LOG_PRUNE_INTERVAL_SECONDS: '3600',
      EDGE_LOG_PRUNE_BATCH: '100',
      ...env,
    });
    await edge.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(edge.app.getHttpServer().address() as AddressInfo).port}`;
    db = edge.app.get<SqliteDatabase>(SQLITE);
    agent = new CloudSigner(edge.clusterKeys.privateKey).token('agent');
  }

  beforeEach(async () => {
    tmp = await createTempDir('log-retention');
    lamport = 0;
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await edge.close();
    await tmp.remove();
  });

  async function device(deviceId: string, storePath?: string): Promise<HubClient> {
    const c = await connectDevice(url, edge.clusterKeys.privateKey, deviceId, { storePath });
    clients.push(c);
    return c;
  }

  /** An order of a till with a realistic id and Lamport time; `kitchen` items make the hub derive a ticket. */
  const order = (overrides: Partial<EventBase> & { kitchen?: boolean } = {}): EventBase => {
    const { kitchen, ...rest } = overrides;
    lamport += 1;
    return makeEvent({
      aggregateId: `order-${uuidv7()}`,
      actor: { deviceId: 'till-1' },
      clock: { lamport, deviceId: 'till-1' },
      payload: { items: [{ sku: 'FLAT-WHITE-LARGE', qty: 2, name: 'Flat white, large, oat milk', ...(kitchen ? { station: 'kitchen' } : {}) }] },
      ...rest,
    });
  };
  const paid = (created: EventBase): EventBase => {
    lamport += 1;
    return {
      ...order(),
      aggregateId: created.aggregateId,
      type: 'order.paid',
      version: 2,
      payload: { totalCents: 980, method: 'card' },
      clock: { lamport, deviceId: 'till-1' },
    };
  };
  /** `count` orders made and paid on till-1: 2 events each. */
  async function paidOrders(till: HubClient, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const created = order();
      expect(await till.append(created)).toMatchObject({ ok: true });
      expect(await till.append(paid(created))).toMatchObject({ ok: true });
    }
  }
  const moveCloudCursor = (cursor: number) =>
    request(edge.server).put('/api/v1/outbox/cursor').set('Authorization', `Bearer ${agent}`).send({ cursor }).expect(200);
  const seqs = () => db.prepare('SELECT seq FROM events ORDER BY seq').pluck().all() as number[];
  const retention = () => edge.app.get(LogRetentionService);

  /** A log of 2 + 2 + 1 + 400 events: an open order and an open ticket first, then 200 paid orders. */
  async function history(till: HubClient) {
    const open = order();
    expect(await till.append(open)).toEqual({ ok: true, seq: 1 });
    const withTicket = order({ kitchen: true });
    // seq 2 the order, 3 the kitchen ticket the hub derived from it.
    expect(await till.append(withTicket)).toEqual({ ok: true, seq: 2 });
    await paidOrders(till, 200);
    return { open, withTicket, latest: 403 };
  }

  describe('prune', () => {
    it('should prune what the cloud holds once past the window, keep the rest, and answer a resent pruned event with its original seq', async () => {
      await start();
      const till = await device('till-1');
      const { open, withTicket } = await history(till);
      // The first run only marks how far the log reaches: nothing is 30 days old yet.
      expect(await retention().prune()).toMatchObject({ deleted: 0, prunedThrough: 0 });
      await moveCloudCursor(300);
      await paidOrders(till, 25);
      expect(seqs().at(-1)).toBe(453);

      const report = await retention().prune(Date.now() + 31 * DAY_MS);
      // Through the cloud cursor (300): everything but the two open orders (1, 2) and the open ticket (3).
      expect(report).toMatchObject({ prunedThrough: 300, deleted: 297, batches: 3 });
      expect(seqs()).toEqual([1, 2, 3, ...Array.from({ length: 153 }, (_, i) => 301 + i)]);
      expect(db.prepare('SELECT COUNT(*) FROM pruned_events').pluck().get()).toBe(297);
      // Appends are still committed with synchronous=FULL (2): a batch relaxes it for its own commit only.
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      // The read models did not need the events: every paid order is still there, the open one too.
      const agentGet = (route: string) => request(edge.server).get(route).set('Authorization', `Bearer ${agent}`).expect(200);
      expect((await agentGet('/api/v1/orders?status=paid')).body.orders).toHaveLength(225);
      expect((await agentGet('/api/v1/orders')).body.orders.map((o: { orderId: string }) => o.orderId).sort()).toEqual(
        [open.aggregateId, withTicket.aggregateId].sort(),
      );
      expect((await agentGet('/api/v1/tickets?status=open')).body.tickets).toHaveLength(1);

      // A till resending an event pruned long ago (its ack was lost) gets its seq back, not a copy.
      const resent = db.prepare('SELECT event_id FROM pruned_events WHERE seq = 10').pluck().get() as string;
      expect(resent).toBeDefined();
      const again = makeEvent({ eventId: resent, aggregateId: `order-${uuidv7()}`, actor: { deviceId: 'till-1' }, clock: { lamport: 5, deviceId: 'till-1' } });
      expect(await till.append(again)).toEqual({ ok: true, seq: 10, duplicate: true });
      // New events go on from the latest seq, and the clock from the latest Lamport time.
      expect(await till.append(order())).toEqual({ ok: true, seq: 454 });
    });

    it('should keep everything while the cloud has not the events, or while they are inside the window', async () => {
      await start();
      const till = await device('till-1');
      await history(till);
      await retention().prune();
      // Old enough, but the cloud has nothing yet.
      expect(await retention().prune(Date.now() + 31 * DAY_MS)).toMatchObject({ deleted: 0, prunedThrough: 0 });
      await moveCloudCursor(403);
      // The cloud has everything, but the newest mark old enough covers nothing: the window holds.
      const report = await retention().prune(Date.now() + 29 * DAY_MS);
      expect(report).toMatchObject({ deleted: 0, prunedThrough: 0 });
      expect(seqs()).toHaveLength(403);
    });

    it('should prune the events of an order kept while it was open once it is paid', async () => {
      await start();
      const till = await device('till-1');
      const { open } = await history(till);
      await retention().prune();
      await moveCloudCursor(403);
      await retention().prune(Date.now() + 31 * DAY_MS);
      // The open orders, the open ticket, and the latest event (the next seq follows it).
      expect(seqs()).toEqual([1, 2, 3, 403]);
      expect(await till.append(paid(open))).toEqual({ ok: true, seq: 404 });
      await moveCloudCursor(404);
      const later = await retention().prune(Date.now() + 32 * DAY_MS);
      // The order paid since (1), and 403, no longer the latest.
      expect(later).toMatchObject({ deleted: 2, prunedThrough: 403 });
      expect(seqs()).toEqual([2, 3, 404]);
    });
  });

  describe('catch-up after a prune', () => {
    it('should tell a device whose cursor is before the pruned range to take a snapshot, and catch up one after it without a gap', async () => {
      await start();
      const till = await device('till-1');
      await history(till);
      await retention().prune();
      await moveCloudCursor(300);
      await retention().prune(Date.now() + 31 * DAY_MS);

      // A KDS that was off for weeks, its cursor at 100, on this very hub.
      const storePath = path.join(tmp.path, 'kds.sqlite');
      const saved = new DeviceStore(storePath);
      saved.saveCursor(100);
      saved.saveHubId((await request(edge.server).get('/status').expect(200)).body.hubId as string);
      saved.close();
      const kds = new HubClient({ url, token: deviceToken(edge.clusterKeys.privateKey, 'kds-1'), deviceId: 'kds-1', ...REALM, storePath });
      clients.push(kds);
      const snapshots: HelloAck[] = [];
      const events: number[] = [];
      kds.on('snapshot', (ack) => snapshots.push(ack));
      kds.on('event', (e) => events.push(e.seq));
      expect(await kds.connect()).toMatchObject({ snapshotNeeded: true, prunedThrough: 300, cursor: 403 });
      expect(await kds.waitCaughtUp()).toBe(403);
      expect(snapshots).toHaveLength(1);
      // It goes on from the hub's latest event: the next one arrives, in order, no gap to fill.
      await till.append(order());
      await waitFor(() => events.includes(404), { what: 'the relay after the snapshot' });
      expect(events).toEqual([404]);

      // A device whose cursor is inside what is kept just gets the events it lacks.
      const recentPath = path.join(tmp.path, 'bds.sqlite');
      const recent = new DeviceStore(recentPath);
      recent.saveCursor(350);
      recent.close();
      const caughtUp: number[] = [];
      const late = new HubClient({ url, token: deviceToken(edge.clusterKeys.privateKey, 'bds-2'), deviceId: 'bds-2', ...REALM, storePath: recentPath });
      clients.push(late);
      late.on('event', (e) => caughtUp.push(e.seq));
      expect(await late.connect()).toMatchObject({ snapshotNeeded: false, prunedThrough: 300 });
      await late.waitCaughtUp();
      expect(caughtUp).toEqual(Array.from({ length: 54 }, (_, i) => 351 + i));

      // A brand-new device has nothing to continue from either: it takes the snapshot.
      const fresh = await device('till-2');
      expect(fresh.cursor).toBe(404);

      // Asking for pruned events directly is refused with the way out.
      const raw = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'kds-9'));
      try {
        expect(await handshakeOutcome(raw)).toBe('connected');
        const refusal = new Promise<{ code: string; message: string }>((resolve) => raw.once(HUB_EVENTS.error, resolve));
        raw.emit(HUB_EVENTS.cursorRequest, { fromSeq: 10 });
        expect(await refusal).toEqual({ code: 'SNAPSHOT_NEEDED', message: 'the events after 10 were pruned (through 300); say hello again' });
      } finally {
        raw.disconnect();
      }
    });
  });

  describe('the periodic task', () => {
    it('should prune on its own in short batches while appends keep being answered', async () => {
      await start({ EDGE_LOG_PRUNE_INTERVAL_SECONDS: '1', EDGE_LOG_PRUNE_BATCH: '500' });
      const till = await device('till-1');
      // Weeks of trade, 10,000 orders made and paid: through the event store itself, as fast as it takes them.
      const store = edge.app.get(EventStoreService);
      const appendAll = async (events: EventBase[]) => {
        for (const ack of await Promise.all(events.map((e) => store.append(e, { deviceId: 'till-1', role: 'agent', origin: 'device' }))))
          expect(ack).toMatchObject({ ok: true });
      };
      for (let round = 0; round < 20; round += 1) {
        const created = Array.from({ length: 500 }, () => order());
        await appendAll(created);
        await appendAll(created.map(paid));
      }
      const latest = seqs().at(-1)!;
      expect(latest).toBe(20_000);
      await waitFor(() => (db.prepare('SELECT COUNT(*) FROM log_marks WHERE seq = ?').pluck().get(latest) as number) === 1, { what: 'a run to mark the log' });
      await moveCloudCursor(latest);

      // Appends one after another, timed, from before the prune starts until after it ends.
      const latencies: { ms: number; during: boolean }[] = [];
      let stop = false;
      const appending = (async () => {
        for (let i = 0; i < 100_000 && !stop; i += 1) {
          const started = performance.now();
          const ack = await till.append(order());
          const during = retention().prunedThrough() > 0 && retention().prunedThrough() < latest;
          latencies.push({ ms: performance.now() - started, during });
          expect(ack).toMatchObject({ ok: true });
        }
      })();
      await waitFor(() => latencies.length >= 50, { what: 'appends before the prune' });
      // The log is 31 days old now: the marks say so.
      db.prepare('UPDATE log_marks SET at = at - ?').run(31 * DAY_MS);
      await waitFor(() => retention().prunedThrough() === latest, { timeoutMs: 30_000, what: 'the task to prune the log' });
      await waitFor(() => latencies.filter((l) => !l.during).length >= 100, { what: 'appends after the prune' });
      stop = true;
      await appending;

      expect(seqs()[0]).toBe(latest + 1);
      const metrics = (await request(edge.server).get('/metrics').expect(200)).text;
      expect(metricSample(metrics, 'pos_edge_log_pruned_events_total')).toBe(latest);
      expect(metricSample(metrics, 'pos_edge_log_pruned_through_seq')).toBe(latest);
      const during = latencies
        .filter((l) => l.during)
        .map((l) => l.ms)
        .sort((a, b) => a - b);
      const outside = latencies
        .filter((l) => !l.during)
        .map((l) => l.ms)
        .sort((a, b) => a - b);
      const pct = (values: number[], p: number) => values[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
      process.stdout.write(
        `append ack during a prune of ${latest} events (batches of 500): ${during.length} appends, median ${pct(during, 50).toFixed(1)} ms, ` +
          `p99 ${pct(during, 99).toFixed(1)} ms, max ${during.at(-1)!.toFixed(1)} ms; ` +
          `outside it: median ${pct(outside, 50).toFixed(1)} ms, p99 ${pct(outside, 99).toFixed(1)} ms\n`,
      );
      expect(during.length).toBeGreaterThan(5);
      // An append waits for one batch at most, never for the whole prune.
      expect(during.at(-1)!).toBeLessThan(250);
    }, 120_000);
  });
});
