import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { HUB_EVENTS, type AppendAck, type EventsBulk, type HelloAck, type StoredEvent } from '@app/contracts';
import { generateEs256KeyPair } from '@app/crypto';
import { HubClient } from '@app/device-client';
import { StalledSocketIo, makeEvent, waitFor } from '@app/testing';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { REALM, connectDevice, deviceToken, handshakeOutcome, rawSocket } from '../../test/hub-devices.js';
import { DeviceNotifier } from './device-notifier.js';
import { MAX_SOCKET_MESSAGE_BYTES } from './hub.gateway.js';

describe('HubGateway', () => {
  let edge: EdgeTestApp;
  let url: string;
  const clients: HubClient[] = [];
  const sockets: { disconnect(): unknown }[] = [];

  async function start(env: Record<string, string> = {}): Promise<void> {
    edge = await startEdgeTestApp('gateway', env);
    await edge.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(edge.app.getHttpServer().address() as AddressInfo).port}`;
  }

  async function device(deviceId: string): Promise<HubClient> {
    const client = await connectDevice(url, edge.clusterKeys.privateKey, deviceId);
    clients.push(client);
    return client;
  }

  function received(client: HubClient): StoredEvent[] {
    const events: StoredEvent[] = [];
    client.on('event', (event, source) => {
      if (source !== 'own') events.push(event);
    });
    return events;
  }

  /** The handshake and an HTTP route, with the same token, come out the same way. */
  async function expectSameOutcome(token: string, handshake: 'connected' | 'unauthorized', status: 200 | 401): Promise<void> {
    const socket = rawSocket(url, token);
    sockets.push(socket);
    expect(await handshakeOutcome(socket)).toBe(handshake);
    await request(edge.server).get('/api/v1/orders').set('Authorization', `Bearer ${token}`).expect(status);
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const socket of sockets.splice(0)) socket.disconnect();
    await edge.close();
  });

  describe('handshake', () => {
    beforeEach(() => start());

    it.each([
      ['no token', () => undefined, 'unauthorized'],
      ['a forged token (another key)', () => deviceToken(generateEs256KeyPair().privateKey, 'till-1'), 'unauthorized'],
      ['an expired token', () => deviceToken(edge.clusterKeys.privateKey, 'till-1', { ttlSeconds: 60, now: Date.now() - 3_600_000 }), 'unauthorized'],
      ['a token of another tenant', () => deviceToken(edge.clusterKeys.privateKey, 'till-1', { tenantId: 't-other' }), 'realm_mismatch'],
      ['a token of another store', () => deviceToken(edge.clusterKeys.privateKey, 'till-1', { storeId: 's-002' }), 'realm_mismatch'],
      ['garbage', () => 'not.a.jwt', 'unauthorized'],
    ])('should refuse %s', async (_label, token, reason) => {
      const socket = rawSocket(url, token());
      sockets.push(socket);
      expect(await handshakeOutcome(socket)).toBe(reason);
    });

    it('should let a known device in with an expired token during the offline grace, and nobody else', async () => {
      const hourAgo = Date.now() - 3_600_000;
      const expired = (deviceId: string, now = hourAgo) => deviceToken(edge.clusterKeys.privateKey, deviceId, { ttlSeconds: 60, now });
      const first = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'till-1'));
      sockets.push(first);
      expect(await handshakeOutcome(first)).toBe('connected');
      const again = rawSocket(url, expired('till-1'));
      sockets.push(again);
      expect(await handshakeOutcome(again)).toBe('connected');
      const stranger = rawSocket(url, expired('till-2'));
      sockets.push(stranger);
      expect(await handshakeOutcome(stranger)).toBe('unauthorized');
      const tooOld = rawSocket(url, expired('till-1', Date.now() - 8 * 24 * 3_600_000));
      sockets.push(tooOld);
      expect(await handshakeOutcome(tooOld)).toBe('unauthorized');
      await request(edge.server)
        .get('/api/v1/orders')
        .set('Authorization', `Bearer ${expired('till-1')}`)
        .expect(200);
      await request(edge.server)
        .get('/api/v1/orders')
        .set('Authorization', `Bearer ${expired('till-2')}`)
        .expect(401);
    });

    it('should give a token from a cloud clock ahead the same tolerance on the socket and over HTTP (EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS, 30 s)', async () => {
      // signClusterToken stamps nbf 5 s before iat: a cloud 25 s ahead gives nbf 20 s in the future.
      const ahead = (seconds: number) => deviceToken(edge.clusterKeys.privateKey, 'till-1', { now: Date.now() + (seconds + 5) * 1000 });
      await expectSameOutcome(ahead(20), 'connected', 200);
      await expectSameOutcome(ahead(60), 'unauthorized', 401);
    });

    it('should accept a token of this realm and answer hello with the hub cursor', async () => {
      const socket = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'till-1'));
      sockets.push(socket);
      expect(await handshakeOutcome(socket)).toBe('connected');
      const ack = new Promise<HelloAck>((resolve) => socket.once(HUB_EVENTS.helloAck, resolve));
      const bulk = new Promise<EventsBulk>((resolve) => socket.once(HUB_EVENTS.eventsBulk, resolve));
      socket.emit(HUB_EVENTS.hello, { deviceId: 'till-1', ...REALM, cursor: 0 });
      expect(await ack).toEqual({ leaderId: expect.stringMatching(/^hub-/), snapshotNeeded: false, cursor: 0, lamport: 0, prunedThrough: 0 });
      expect(await bulk).toEqual({ events: [], nextCursor: 0, hasMore: false });
    });
  });

  describe('token clock tolerance (one setting for both doors)', () => {
    beforeEach(() => start({ EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS: '90' }));

    it('should apply EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS to the socket and to HTTP alike', async () => {
      const ahead = (seconds: number) => deviceToken(edge.clusterKeys.privateKey, 'till-1', { now: Date.now() + (seconds + 5) * 1000 });
      await expectSameOutcome(ahead(60), 'connected', 200);
      await expectSameOutcome(ahead(120), 'unauthorized', 401);
    });
  });

  describe('relay', () => {
    beforeEach(() => start());

    it('should relay an event to every other device and not to the sender', async () => {
      const [a, b, c] = [await device('till-1'), await device('till-2'), await device('kds-1')];
      const [gotA, gotB, gotC] = [received(a), received(b), received(c)];
      const ack = await a.append(makeEvent({ actor: { deviceId: 'till-1' } }));
      expect(ack).toEqual({ ok: true, seq: 1 });
      await waitFor(() => gotB.length === 1 && gotC.length === 1, { what: 'the relay' });
      expect(gotB[0]).toMatchObject({ seq: 1, type: 'order.created' });
      expect(gotC[0]).toMatchObject({ seq: 1 });
      // The sender's own event came back as its ack, never as a relay.
      expect(gotA).toEqual([]);
      expect(a.cursor).toBe(1);
    });

    it('should let a late device catch up in pages with no gap and no duplicate', async () => {
      const writer = await device('till-1');
      const acks = await Promise.all(
        Array.from({ length: 1_500 }, (_, i) => writer.append(makeEvent({ aggregateId: `order-${i}`, actor: { deviceId: 'till-1' } }))),
      );
      expect(acks.every((a) => a.ok)).toBe(true);
      const late = new HubClient({ url, token: deviceToken(edge.clusterKeys.privateKey, 'kds-9'), deviceId: 'kds-9', ...REALM });
      clients.push(late);
      const seqs: number[] = [];
      late.on('event', (e) => seqs.push(e.seq));
      await late.connect();
      await late.waitCaughtUp();
      expect(seqs).toEqual(Array.from({ length: 1_500 }, (_, i) => i + 1));
    });

    it('should let a device whose catch-up requests are refused for now retry them and finish', async () => {
      const writer = await device('till-1');
      await Promise.all(Array.from({ length: 1_200 }, (_, i) => writer.append(makeEvent({ aggregateId: `order-${i}`, actor: { deviceId: 'till-1' } }))));
      // Another connection of the same device keeps spending its page budget...
      const greedy = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'kds-9'));
      sockets.push(greedy);
      await handshakeOutcome(greedy);
      let spent = false;
      greedy.on(HUB_EVENTS.error, () => (spent = true));
      const spam = setInterval(() => {
        for (let i = 0; i < 10; i += 1) greedy.emit(HUB_EVENTS.cursorRequest, { fromSeq: 1_199 });
      }, 1);
      try {
        await waitFor(() => spent, { what: 'the page budget to run out' });
        // Whether the late client's request lands on an empty budget is a race with the refill, so
        // a client that got through unrefused is replaced by a fresh one (a few tries at most).
        let refusedThenCaughtUp = false;
        for (let attempt = 0; attempt < 10 && !refusedThenCaughtUp; attempt += 1) {
          const late = new HubClient({ url, token: deviceToken(edge.clusterKeys.privateKey, 'kds-9'), deviceId: 'kds-9', ...REALM });
          clients.push(late);
          const errors: string[] = [];
          late.on('hubError', (e) => {
            errors.push(e.code);
            clearInterval(spam); // the retry then gets through
          });
          await late.connect();
          await waitFor(() => late.cursor === 1_200, { what: 'the late device to hold every event' });
          refusedThenCaughtUp = errors.includes('RATE_LIMITED');
          late.close();
        }
        expect(refusedThenCaughtUp).toBe(true);
      } finally {
        clearInterval(spam);
      }
    });

    it('should let a device whose hello is refused for now say it again', async () => {
      const writer = await device('till-1');
      await writer.append(makeEvent({ actor: { deviceId: 'till-1' } }));
      // Another connection of the same device keeps its page budget empty...
      const greedy = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'kds-9'));
      sockets.push(greedy);
      await handshakeOutcome(greedy);
      let spent = false;
      greedy.on(HUB_EVENTS.error, () => (spent = true));
      const spam = setInterval(() => {
        for (let i = 0; i < 10; i += 1) greedy.emit(HUB_EVENTS.cursorRequest, { fromSeq: 1 });
      }, 1);
      try {
        await waitFor(() => spent, { what: 'the page budget to run out' });
        // ...until a hello is refused (a race with the refill: a client let in at once is replaced).
        let refusedThenCaughtUp = false;
        for (let attempt = 0; attempt < 10 && !refusedThenCaughtUp; attempt += 1) {
          const late = new HubClient({ url, token: deviceToken(edge.clusterKeys.privateKey, 'kds-9'), deviceId: 'kds-9', ...REALM });
          clients.push(late);
          const errors: string[] = [];
          late.on('hubError', (e) => {
            errors.push(e.code);
            clearInterval(spam);
          });
          await late.connect();
          await late.waitCaughtUp();
          expect(late.cursor).toBe(1);
          refusedThenCaughtUp = errors.includes('RATE_LIMITED');
          late.close();
        }
        expect(refusedThenCaughtUp).toBe(true);
      } finally {
        clearInterval(spam);
      }
    });

    it('should push state.changed to the devices', async () => {
      const a = await device('till-1');
      const changes: unknown[] = [];
      a.on('state.changed', (c) => changes.push(c));
      edge.app.get(DeviceNotifier).stateChanged('menu', 7);
      await waitFor(() => changes.length === 1);
      expect(changes).toEqual([{ domain: 'menu', revision: 7 }]);
      expect(edge.app.get(DeviceNotifier).connectedDevices()).toEqual([{ deviceId: 'till-1', role: 'device', connectedAt: expect.any(String) }]);
    });
  });

  describe('append rules', () => {
    beforeEach(() => start({ EDGE_LEASE_TTL_OVERRIDE_MS: '400' }));

    async function appendRaw(event: unknown, deviceId = 'till-1'): Promise<AppendAck> {
      let socket = sockets.find((s) => (s as unknown as { deviceId?: string }).deviceId === deviceId) as ReturnType<typeof rawSocket> | undefined;
      if (!socket) {
        socket = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, deviceId));
        Object.assign(socket, { deviceId });
        sockets.push(socket);
        await handshakeOutcome(socket);
      }
      return socket.emitWithAck(HUB_EVENTS.eventsAppend, event) as Promise<AppendAck>;
    }

    it('should answer VERSION_CONFLICT with the current version', async () => {
      expect(await appendRaw(makeEvent())).toEqual({ ok: true, seq: 1 });
      expect(await appendRaw(makeEvent({ version: 1 }))).toMatchObject({ ok: false, code: 'VERSION_CONFLICT', currentVersion: 1 });
      expect(await appendRaw(makeEvent({ type: 'order.parked', version: 3, payload: {} }))).toMatchObject({
        ok: false,
        code: 'VERSION_CONFLICT',
        currentVersion: 1,
      });
      expect(await appendRaw(makeEvent({ type: 'order.parked', version: 2, payload: {} }))).toEqual({ ok: true, seq: 2 });
    });

    it('should store a repeated eventId once and answer the original seq', async () => {
      const event = makeEvent();
      expect(await appendRaw(event)).toEqual({ ok: true, seq: 1 });
      expect(await appendRaw(makeEvent({ aggregateId: 'order-2' }))).toEqual({ ok: true, seq: 2 });
      expect(await appendRaw(event)).toEqual({ ok: true, seq: 1, duplicate: true });
      expect(
        edge.app
          .get((await import('../event-store/event-store.service.js')).EventStoreService)
          .readAfter(0, 10)
          .map((e) => e.seq),
      ).toEqual([1, 2]);
    });

    it('should refuse another device while a lease is held, until it expires', async () => {
      expect(await appendRaw(makeEvent())).toMatchObject({ ok: true });
      expect(await appendRaw(makeEvent({ type: 'order.locked', version: 2, payload: { ttlSeconds: 30 } }))).toMatchObject({ ok: true });
      const locked = await appendRaw(
        makeEvent({ type: 'order.updated', version: 3, payload: { items: [] }, actor: { deviceId: 'till-2' }, clock: { lamport: 5, deviceId: 'till-2' } }),
        'till-2',
      );
      expect(locked).toMatchObject({ ok: false, code: 'LOCKED', holder: 'till-1', expiresAt: expect.any(String) });
      // The holder itself may write.
      expect(await appendRaw(makeEvent({ type: 'order.updated', version: 3, payload: { items: [] } }))).toMatchObject({ ok: true });
      await new Promise((resolve) => setTimeout(resolve, 450)); // the lease (400 ms here) must lapse on the hub's clock
      expect(await appendRaw(makeEvent({ type: 'order.updated', version: 4, payload: { items: [] }, actor: { deviceId: 'till-2' } }), 'till-2')).toMatchObject({
        ok: true,
      });
    });

    it('should free the order when the holder releases the lease', async () => {
      await appendRaw(makeEvent());
      await appendRaw(makeEvent({ type: 'order.locked', version: 2, payload: {} }));
      expect(await appendRaw(makeEvent({ type: 'order.lock.renew', version: 3, payload: {}, actor: { deviceId: 'till-2' } }), 'till-2')).toMatchObject({
        code: 'LOCKED',
      });
      expect(await appendRaw(makeEvent({ type: 'order.lock.released', version: 3, payload: {} }))).toMatchObject({ ok: true });
      expect(await appendRaw(makeEvent({ type: 'order.locked', version: 4, payload: {}, actor: { deviceId: 'till-2' } }), 'till-2')).toMatchObject({
        ok: true,
      });
    });

    it.each([
      ['a non-object', 'hello', ''],
      ['null', null, ''],
      ['a missing eventId', { ...makeEvent(), eventId: undefined }, 'eventId'],
      ['a bad version', { ...makeEvent(), version: 0 }, 'version'],
      ['an unknown type', { ...makeEvent(), type: 'order.exploded' }, 'type'],
      ['a bad payload', makeEvent({ payload: { items: [{ sku: 'B1', qty: 0 }] } }), 'payload.items[0].qty'],
      ['a mismatched aggregate type', makeEvent({ type: 'inventory.adjusted', aggregateType: 'order', payload: { sku: 'B1', delta: 1 } }), 'aggregateType'],
      ['an actor that is not the token device', makeEvent({ actor: { deviceId: 'till-9' } }), 'actor.deviceId'],
      ['an oversized payload', makeEvent({ payload: { items: [], note: 'x'.repeat(20_000) } }), 'payload'],
    ])('should answer INVALID for %s, naming the field', async (_label, event, path) => {
      const ack = await appendRaw(event);
      expect(ack).toMatchObject({ ok: false, code: 'INVALID' });
      const issues = (ack as { details: { issues: { path: string }[] } }).details.issues;
      expect(issues.map((i) => i.path)).toContain(path);
    });

    it('should close only the connection that sends a message over the size limit', async () => {
      const other = await device('kds-1');
      const socket = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'till-1'));
      sockets.push(socket);
      await handshakeOutcome(socket);
      const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      socket.emit(HUB_EVENTS.eventsAppend, { ...makeEvent(), payload: { items: [], note: 'x'.repeat(MAX_SOCKET_MESSAGE_BYTES) } }, () => undefined);
      expect(await closed).toBe('transport close');
      expect(other.connected).toBe(true);
      expect(await appendRaw(makeEvent({ aggregateId: 'order-after', actor: { deviceId: 'till-2' } }), 'till-2')).toEqual({ ok: true, seq: 1 });
    });

    it('should answer REALM_MISMATCH for an event of another store', async () => {
      expect(await appendRaw(makeEvent({ storeId: 's-002' }))).toMatchObject({ ok: false, code: 'REALM_MISMATCH' });
    });

    it('should survive malformed messages and keep serving the connection', async () => {
      const socket = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'till-1'));
      sockets.push(socket);
      await handshakeOutcome(socket);
      const errors: unknown[] = [];
      socket.on(HUB_EVENTS.error, (e) => errors.push(e));
      socket.emit(HUB_EVENTS.eventsAppend, makeEvent()); // no ack callback: refused, not stored
      socket.emit(HUB_EVENTS.hello, { deviceId: 'till-1' });
      socket.emit(HUB_EVENTS.cursorRequest, { fromSeq: -1 });
      socket.emit(HUB_EVENTS.cursorRequest, 'x', 'y', 3);
      socket.emit('no.such.event', { a: 1 });
      await waitFor(() => errors.length === 4, { what: 'four hub.error answers' });
      expect(errors).toEqual([
        { code: 'INVALID', message: 'events.append needs an ack callback' },
        { code: 'INVALID', message: expect.stringContaining('cursor') },
        { code: 'INVALID', message: expect.stringContaining('cursor.request') },
        { code: 'INVALID', message: expect.stringContaining('cursor.request') },
      ]);
      expect(await socket.emitWithAck(HUB_EVENTS.eventsAppend, makeEvent({ aggregateId: 'order-2' }))).toEqual({ ok: true, seq: 1 });
    });

    it('should limit catch-up requests per device and answer RATE_LIMITED with retryAfterMs', async () => {
      const socket = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'till-1'));
      sockets.push(socket);
      await handshakeOutcome(socket);
      const errors: { code: string; retryAfterMs?: number }[] = [];
      let pages = 0;
      socket.on(HUB_EVENTS.error, (e: { code: string; retryAfterMs?: number }) => errors.push(e));
      socket.on(HUB_EVENTS.eventsBulk, () => (pages += 1));
      for (let i = 0; i < 260; i += 1) socket.emit(HUB_EVENTS.cursorRequest, { fromSeq: 0 });
      await waitFor(() => pages + errors.length === 260, { what: 'an answer to every request' });
      expect(pages).toBeGreaterThanOrEqual(200);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toEqual({ code: 'RATE_LIMITED', message: 'too many catch-up requests', retryAfterMs: expect.any(Number) });
    });

    it('should expose read models over HTTP to device tokens only', async () => {
      await appendRaw(makeEvent({ payload: { items: [{ sku: 'B1', qty: 2, station: 'kitchen' }] } }));
      await appendRaw(makeEvent({ type: 'inventory.adjusted', aggregateType: 'inventory', aggregateId: 'B1', payload: { sku: 'B1', delta: -2 } }));
      const token = deviceToken(edge.clusterKeys.privateKey, 'till-1');
      const orders = await request(edge.server).get('/api/v1/orders').set('Authorization', `Bearer ${token}`).expect(200);
      expect(orders.body.orders).toEqual([expect.objectContaining({ orderId: 'order-1', status: 'active', version: 1 })]);
      const tickets = await request(edge.server).get('/api/v1/tickets?station=kitchen').set('Authorization', `Bearer ${token}`).expect(200);
      expect(tickets.body.tickets).toEqual([
        expect.objectContaining({ orderId: 'order-1', station: 'kitchen', status: 'new', items: [{ sku: 'B1', qty: 2 }] }),
      ]);
      const inventory = await request(edge.server)
        .get('/api/v1/inventory')
        .set('Authorization', `Bearer ${deviceToken(edge.clusterKeys.privateKey, 'agent-1', { role: 'agent' })}`)
        .expect(200);
      expect(inventory.body.items).toEqual([{ sku: 'B1', quantity: -2, counter: { p: {}, n: { 'till-1': 2 } } }]);
      await request(edge.server).get('/api/v1/orders').expect(401);
      await request(edge.server)
        .get('/api/v1/orders')
        .set('Authorization', `Bearer ${deviceToken(generateEs256KeyPair().privateKey, 'till-1')}`)
        .expect(401);
      const other = await request(edge.server)
        .get('/api/v1/orders')
        .set('Authorization', `Bearer ${deviceToken(edge.clusterKeys.privateKey, 'till-1', { storeId: 's-002' })}`)
        .expect(403);
      expect(other.body).toMatchObject({ code: 'REALM_MISMATCH', message: 'realm_mismatch' });
      await request(edge.server).get('/api/v1/orders?status=lost').set('Authorization', `Bearer ${token}`).expect(400);
    });
  });

  /**
   * Stops reading the TCP socket under a connected device (relays pile up in the kernel, then in the
   * hub), then appends bulky events from a till, 50 at a time and all acked, until the hub drops the
   * device; fails past 3,000 events. Returns the stalled socket and how many events were appended.
   */
  async function stallUntilDropped(deviceId: string): Promise<{ tcp: { pause(): void; destroy(): void }; appended: number }> {
    const slow = await device(deviceId);
    const tcp = (slow as unknown as { socket: { io: { engine: { transport: { ws: { _socket: { pause(): void; destroy(): void } } } } } } }).socket.io.engine
      .transport.ws._socket;
    tcp.pause();
    const writer = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'till-1'));
    sockets.push(writer);
    await handshakeOutcome(writer);
    const bulky = { items: Array.from({ length: 100 }, (_, i) => ({ sku: `SKU-${i}`, qty: 1, name: 'x'.repeat(120) })) };
    const notifier = edge.app.get(DeviceNotifier);
    let n = 0;
    while (notifier.connectedDevices().some((d) => d.deviceId === deviceId)) {
      if (n >= 3_000) throw new Error(`${deviceId} is still connected after ${n} events`);
      const acks = await Promise.all(
        Array.from(
          { length: 50 },
          () => writer.emitWithAck(HUB_EVENTS.eventsAppend, makeEvent({ aggregateId: `o-${n++}`, payload: bulky })) as Promise<AppendAck>,
        ),
      );
      expect(acks.every((a) => a.ok)).toBe(true);
    }
    return { tcp, appended: n };
  }

  describe('a device that stops reading', () => {
    beforeEach(() => start({ EDGE_RELAY_BACKLOG_MAX: '50', EDGE_RATE_LIMIT_BURST: '5000' }));

    it('should be dropped once its backlog passes the limit, and catch up when it comes back', async () => {
      const { tcp, appended } = await stallUntilDropped('kds-slow');
      expect(
        edge.app
          .get(DeviceNotifier)
          .connectedDevices()
          .map((d) => d.deviceId),
      ).toEqual(['till-1']);
      tcp.destroy(); // the stuck tablet is restarted

      const back = await device('kds-slow');
      expect(back.cursor).toBe(appended);
    });

    it('should drop a device that floods requests and reads none of the refusals, with no relay at all', async () => {
      const port = Number(new URL(url).port);
      const flooder = await StalledSocketIo.connect('127.0.0.1', port, { token: deviceToken(edge.clusterKeys.privateKey, 'kds-flood') });
      try {
        flooder.stopReading();
        const notifier = edge.app.get(DeviceNotifier);
        let sent = 0;
        // Each invalid hello is answered hub.error INVALID, which it never reads: the kernel's
        // buffers take the first ones, then the backlog bound (50 here) drops it.
        while (notifier.connectedDevices().some((d) => d.deviceId === 'kds-flood')) {
          if (sent >= 200_000) throw new Error(`kds-flood is still connected after ${sent} requests`);
          for (let i = 0; i < 1_000; i++) flooder.emit(HUB_EVENTS.hello, { deviceId: 'kds-flood', cursor: -1 });
          sent += 1_000;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const metrics = await request(edge.server).get('/metrics').expect(200);
        expect(metrics.text).toContain('pos_edge_devices_dropped_total{reason="BACKLOG_EXCEEDED"} 1');
      } finally {
        flooder.destroy();
      }
    });
  });

  describe('a device that stops reading, past the byte bound', () => {
    beforeEach(() => start({ EDGE_RELAY_BACKLOG_MAX: '100000', EDGE_DEVICE_BACKLOG_MAX_BYTES: '1048576', EDGE_RATE_LIMIT_BURST: '5000' }));

    it('should be dropped with BACKLOG_EXCEEDED once the bytes waiting for it pass EDGE_DEVICE_BACKLOG_MAX_BYTES, counted in /metrics', async () => {
      // At most 3,000 events, far below 100,000 messages: only the byte bound can drop it.
      const { tcp } = await stallUntilDropped('kds-slow');
      const metrics = await request(edge.server).get('/metrics').expect(200);
      expect(metrics.text).toContain('pos_edge_devices_dropped_total{reason="BACKLOG_EXCEEDED"} 1');
      tcp.destroy();
    });
  });

  describe('rate limit', () => {
    beforeEach(() => start({ EDGE_RATE_LIMIT_PER_SECOND: '5', EDGE_RATE_LIMIT_BURST: '3' }));

    it('should answer RATE_LIMITED with retryAfterMs past the burst, and the client should retry it', async () => {
      const socket = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'till-1'));
      sockets.push(socket);
      await handshakeOutcome(socket);
      const acks = await Promise.all(
        Array.from({ length: 4 }, (_, i) => socket.emitWithAck(HUB_EVENTS.eventsAppend, makeEvent({ aggregateId: `o-${i}` })) as Promise<AppendAck>),
      );
      expect(acks.slice(0, 3).every((a) => a.ok)).toBe(true);
      expect(acks[3]).toMatchObject({ ok: false, code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });

      const client = await device('till-2');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => client.append(makeEvent({ aggregateId: `p-${i}`, actor: { deviceId: 'till-2' } }))),
      );
      expect(results.map((r) => r.ok)).toEqual(Array(8).fill(true));
      expect(results.map((r) => (r.ok ? r.seq : 0))).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    });
  });
});
