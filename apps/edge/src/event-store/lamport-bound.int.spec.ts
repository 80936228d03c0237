import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { HUB_EVENTS, type AppendAck, type HelloAck, type StoredEvent } from '@app/contracts';
import { DEFAULT_MAX_LAMPORT_SKEW, LAMPORT_BOUND, LAMPORT_STEP_MAX } from '@app/sync';
import { createTempDir, makeEvent, waitFor, type TempDir } from '@app/testing';
import { openEdgeDatabase } from '../database/sqlite-database.js';
import { EventStoreRepository } from './event-store.repository.js';
import { repairLamportClock } from './lamport-repair.js';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { handshakeOutcome, rawSocket } from '../../test/hub-devices.js';
import { collect, connectDevice, listenOnLoopback } from '../../test/hub-socket.js';
import { CloudSigner } from '../../test/signed-commands.js';

const REALM = { tenantId: randomUUID(), storeId: randomUUID() };
const TILL = `till-${randomUUID()}`;
const KDS = `kds-${randomUUID()}`;

describe('the Lamport skew bound (edge, Socket.IO and POST /api/v1/events)', () => {
  let edge: EdgeTestApp;
  let cloud: CloudSigner;
  let url: string;
  const sockets: Socket[] = [];

  async function start(env: Record<string, string> = {}): Promise<void> {
    edge = await startEdgeTestApp('lamport-bound', { TENANT_ID: REALM.tenantId, STORE_ID: REALM.storeId, ...env });
    cloud = new CloudSigner(edge.clusterKeys.privateKey, REALM);
    url = await listenOnLoopback(edge);
  }

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await edge.close();
  });

  async function device(deviceId: string): Promise<Socket> {
    const socket = await connectDevice(url, cloud.token('device', deviceId), deviceId, REALM);
    sockets.push(socket);
    return socket;
  }

  /** The hub's clock as a device learns it: `lamport` in the answer to `hello`. */
  async function hubClock(): Promise<number> {
    const deviceId = `probe-${randomUUID()}`;
    const socket = rawSocket(url, cloud.token('device', deviceId));
    sockets.push(socket);
    expect(await handshakeOutcome(socket)).toBe('connected');
    const ack = new Promise<HelloAck>((resolve) => socket.once(HUB_EVENTS.helloAck, resolve));
    socket.emit(HUB_EVENTS.hello, { deviceId, ...REALM, cursor: 0 });
    return (await ack).lamport;
  }

  const order = (lamport: number, deviceId = TILL) =>
    makeEvent({
      ...REALM,
      aggregateId: randomUUID(),
      actor: { deviceId },
      clock: { lamport, deviceId },
      payload: { items: [{ sku: 'FLAT-WHITE-LARGE-OAT', qty: 2, name: 'Flat white, large, oat milk' }] },
    });

  it('should refuse an event too far ahead on either door, store and relay nothing of it, and leave the clock where it was', async () => {
    // The default bound: the one a hub runs with when EDGE_MAX_LAMPORT_SKEW is not set.
    await start();
    const till = await device(TILL);
    const kds = await device(KDS);
    const relayed = collect<StoredEvent>(kds, HUB_EVENTS.eventsRelay);
    const append = (event: unknown) => till.emitWithAck(HUB_EVENTS.eventsAppend, event) as Promise<AppendAck>;

    const first = order(61);
    expect(await append(first)).toEqual({ ok: true, seq: 1 });
    expect(await hubClock()).toBe(62);

    // One past the bound, from a till: the event of the issue (a clock a million ahead).
    const far = order(62 + DEFAULT_MAX_LAMPORT_SKEW + 1);
    const refused = await append(far);
    const reason =
      `clock.lamport ${far.clock.lamport} is ${DEFAULT_MAX_LAMPORT_SKEW + 1} ahead of the hub's clock 62; at most ` +
      `${DEFAULT_MAX_LAMPORT_SKEW} ahead is accepted (EDGE_MAX_LAMPORT_SKEW)`;
    expect(refused).toEqual({
      ok: false,
      code: 'INVALID',
      message: `invalid event: ${reason}`,
      details: { issues: [{ path: 'clock.lamport', code: 'too_big', message: reason }] },
    });

    // The same, from HQ through the agent.
    const hq = makeEvent({ ...REALM, aggregateId: randomUUID(), actor: { deviceId: 'hq' }, clock: { lamport: 5_000_000_000, deviceId: 'hq' } });
    const posted = await request(edge.server)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${cloud.token('agent')}`)
      .send(hq)
      .expect(422);
    expect(posted.body).toMatchObject({
      statusCode: 422,
      code: 'INVALID',
      message: expect.stringContaining(`clock.lamport 5000000000 is 4999999938 ahead of the hub's clock 62; at most ${DEFAULT_MAX_LAMPORT_SKEW} ahead`),
      details: { issues: [expect.objectContaining({ path: 'clock.lamport' })] },
    });

    // Neither moved the clock nor reached the log: the next event goes to max(62, 10) + 1.
    expect(await hubClock()).toBe(62);
    expect((await request(edge.server).get('/status').expect(200)).body).toMatchObject({ latestSeq: 1 });
    expect(await append(order(10))).toEqual({ ok: true, seq: 2 });
    expect(await hubClock()).toBe(63);

    // A till back from a long offline shift, exactly at the bound, is taken.
    const back = order(63 + DEFAULT_MAX_LAMPORT_SKEW);
    expect(await append(back)).toEqual({ ok: true, seq: 3 });
    expect(await hubClock()).toBe(64 + DEFAULT_MAX_LAMPORT_SKEW);
    // Relays go out in seq order: had a refused event been relayed, it would be among these.
    await waitFor(() => relayed.length === 3, { what: 'the relays of the accepted events' });
    expect(relayed.map((e) => [e.seq, e.eventId])).toEqual([
      [1, first.eventId],
      [2, expect.any(String)],
      [3, back.eventId],
    ]);
    expect(relayed.map((e) => e.eventId)).not.toContain(hq.eventId);
    expect(relayed.map((e) => e.eventId)).not.toContain(far.eventId);

    // The refused event, sent again, is judged against the clock that moved: now within the bound.
    expect(await append(far)).toEqual({ ok: true, seq: 4 });
  });

  describe('the absolute bound (2^52)', () => {
    const max = LAMPORT_BOUND - LAMPORT_STEP_MAX;
    let seeded: TempDir | null = null;

    afterEach(async () => {
      await seeded?.remove();
      seeded = null;
    });

    it('should never let the clock pass the bound, even with a skew that lets any clock through', async () => {
      await start({ EDGE_MAX_LAMPORT_SKEW: String(Number.MAX_SAFE_INTEGER) });
      const till = await device(TILL);
      const append = (event: unknown) => till.emitWithAck(HUB_EVENTS.eventsAppend, event) as Promise<AppendAck>;

      // The event of the issue: refused as INVALID, naming the field; the clock does not move.
      const saturating = order(Number.MAX_SAFE_INTEGER);
      const refused = await append(saturating);
      expect(refused).toMatchObject({
        ok: false,
        code: 'INVALID',
        message: `invalid event: clock.lamport ${Number.MAX_SAFE_INTEGER} is past ${max}, the highest Lamport time the hub takes (its clock stays below 2^52)`,
        details: { issues: [{ path: 'clock.lamport', code: 'too_big' }] },
      });
      expect(await hubClock()).toBe(0);

      // The last value that fits, on an order with a kitchen and a bar item: the order and its two tickets end at the bound.
      const kds = await device(KDS);
      const relayed = collect<StoredEvent>(kds, HUB_EVENTS.eventsRelay);
      const last = makeEvent({
        ...REALM,
        aggregateId: randomUUID(),
        actor: { deviceId: TILL },
        clock: { lamport: max, deviceId: TILL },
        payload: {
          items: [
            { sku: 'FLAT-WHITE-LARGE-OAT', qty: 1, station: 'bar' },
            { sku: 'CROQUE-MONSIEUR-TRUFFLE', qty: 1, station: 'kitchen' },
          ],
        },
      });
      expect(await append(last)).toEqual({ ok: true, seq: 1 });
      await waitFor(() => relayed.length === 3, { what: 'the order and its two tickets' });
      expect(relayed.map((e) => e.clock.lamport)).toEqual([max, LAMPORT_BOUND - 1, LAMPORT_BOUND]);
      expect(await hubClock()).toBe(LAMPORT_BOUND);

      // From there every append is refused with a clear code, never stored, and never past the bound.
      const next = await append(order(10));
      expect(next).toEqual({
        ok: false,
        code: 'CLOCK_EXHAUSTED',
        message: expect.stringContaining(`the hub's Lamport clock ${LAMPORT_BOUND} is past ${max}, its bound`),
      });
      expect(await hubClock()).toBe(LAMPORT_BOUND);
      expect(LAMPORT_BOUND).toBeLessThan(Number.MAX_SAFE_INTEGER);
      expect((await request(edge.server).get('/status').expect(200)).body).toMatchObject({ latestSeq: 3 });
    });

    it('should say so at start on a hub whose stored clock is already past the bound, and come back after the repair', async () => {
      // A hub from before the bound: it took an event at 2^53 - 1 between two ordinary ones.
      seeded = await createTempDir('lamport-seeded');
      const db = openEdgeDatabase(seeded.path);
      const events = new EventStoreRepository(db);
      const stored = [order(40), order(Number.MAX_SAFE_INTEGER), order(41)].map((e, i) => ({ ...e, seq: i + 1 }));
      events.transaction(() => stored.forEach((e) => events.insert(e, 'device', JSON.stringify(e))));
      db.close();

      await start({ EDGE_DATA_DIR: seeded.path });
      const health = await request(edge.server).get('/healthz').expect(503);
      expect(health.body).toMatchObject({
        status: 'unavailable',
        code: 'CLOCK_EXHAUSTED',
        message: expect.stringContaining(`the hub's Lamport clock ${Number.MAX_SAFE_INTEGER} is past its bound ${max}`),
      });
      expect(health.body.message).toContain('lamport-repair.main.js');
      const till = await device(TILL);
      const kept = order(42);
      expect(await till.emitWithAck(HUB_EVENTS.eventsAppend, kept)).toMatchObject({ ok: false, code: 'CLOCK_EXHAUSTED' });
      await request(edge.server)
        .post('/api/v1/events')
        .set('Authorization', `Bearer ${cloud.token('agent')}`)
        .send(makeEvent({ ...REALM, aggregateId: randomUUID(), actor: { deviceId: 'hq' }, clock: { lamport: 1, deviceId: 'hq' } }))
        .expect(503);
      for (const socket of sockets.splice(0)) socket.disconnect();
      await edge.close();

      // The operator's repair, on the stopped hub: a dry run reports and changes nothing...
      const reopened = openEdgeDatabase(seeded.path);
      const dry = repairLamportClock(reopened, { apply: false });
      expect(dry).toMatchObject({
        clockBefore: Number.MAX_SAFE_INTEGER,
        clockAfter: 41,
        max,
        applied: false,
        events: [{ seq: 2, eventId: stored[1]!.eventId, lamport: Number.MAX_SAFE_INTEGER }],
      });
      expect(new EventStoreRepository(reopened).maxLamport()).toBe(Number.MAX_SAFE_INTEGER);
      // (A lower threshold takes more events back, for a hub brought to the bound from just inside it.)
      expect(repairLamportClock(reopened, { apply: false, above: 40 })).toMatchObject({ clockAfter: 40, max: 40, events: [{ seq: 2 }, { seq: 3 }] });
      expect(() => repairLamportClock(reopened, { apply: false, above: Number.MAX_SAFE_INTEGER })).toThrow(RangeError);
      // ...then --apply brings the clock back, and records what it did.
      expect(repairLamportClock(reopened, { apply: true, now: new Date('2026-12-02T02:00:00Z') })).toMatchObject({ clockAfter: 41, applied: true });
      expect(new EventStoreRepository(reopened).maxLamport()).toBe(41);
      const record = reopened.prepare("SELECT value FROM meta WHERE key = 'lamport.repairs'").pluck().get() as string;
      expect(JSON.parse(record)).toEqual([
        {
          at: '2026-12-02T02:00:00.000Z',
          clockBefore: Number.MAX_SAFE_INTEGER,
          clockAfter: 41,
          events: [{ seq: 2, eventId: stored[1]!.eventId, lamport: Number.MAX_SAFE_INTEGER }],
        },
      ]);
      expect(repairLamportClock(reopened, { apply: true }).events).toEqual([]);
      reopened.close();

      // Restarted, the hub is healthy, its clock restarts from 41, and the kept event goes in.
      await start({ EDGE_DATA_DIR: seeded.path });
      await request(edge.server).get('/healthz').expect(200);
      expect(await hubClock()).toBe(41);
      const again = await device(TILL);
      expect(await again.emitWithAck(HUB_EVENTS.eventsAppend, kept)).toEqual({ ok: true, seq: 4 });
      expect(await hubClock()).toBe(43);
      // The repaired event is still in the log as the devices and the cloud received it.
      const reader = await device(`reader-${randomUUID()}`);
      const page = new Promise<{ events: StoredEvent[] }>((resolve) => reader.once(HUB_EVENTS.eventsBulk, resolve));
      reader.emit(HUB_EVENTS.cursorRequest, { fromSeq: 0 });
      expect((await page).events.map((e) => [e.seq, e.clock.lamport])).toEqual([
        [1, 40],
        [2, Number.MAX_SAFE_INTEGER],
        [3, 41],
        [4, 42],
      ]);
    });
  });
});
