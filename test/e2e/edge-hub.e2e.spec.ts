import path from 'node:path';
import { HUB_EVENTS, uuidv7, type AppendAck, type EventBase, type StoredEvent } from '@app/contracts';
import { generateEs256KeyPair, signClusterToken, type GeneratedKeyPair } from '@app/crypto';
import { HubClient } from '@app/device-client';
import { createTempDir, freePort, makeEvent, startAppProcess, waitFor, type AppProcess, type TempDir } from '@app/testing';
import { io, type Socket } from 'socket.io-client';

/**
 * The built edge hub as a process, driven by real Socket.IO clients (the device library and raw
 * sockets): realm isolation, handshake refusals, the append rules, a kill -9 during appends, an
 * offline device's outbox, and the kitchen ticket round trip.
 */
interface Hub {
  proc: AppProcess;
  url: string;
  port: number;
  dataDir: string;
  realm: { tenantId: string; storeId: string };
}

describe('edge hub (built process)', () => {
  let keys: GeneratedKeyPair;
  let tmp: TempDir;
  const hubs: Hub[] = [];
  const clients: HubClient[] = [];
  const sockets: Socket[] = [];

  async function startHub(
    realm = { tenantId: 't-demo', storeId: 's-001' },
    options: { dataDir?: string; port?: number; env?: Record<string, string> } = {},
  ): Promise<Hub> {
    const port = options.port ?? (await freePort());
    const dataDir = options.dataDir ?? path.join(tmp.path, `${realm.storeId}-${port}`);
    const url = `http://127.0.0.1:${port}`;
    const proc = await startAppProcess({
      name: `edge-${realm.storeId}`,
      entry: 'dist/apps/edge/src/main.js',
      env: {
        HOST: '127.0.0.1',
        PORT: String(port),
        TENANT_ID: realm.tenantId,
        STORE_ID: realm.storeId,
        CLUSTER_PUBLIC_KEY_BASE64: keys.publicKeyBase64,
        EDGE_DATA_DIR: dataDir,
        MDNS_ENABLED: 'false',
        ...options.env,
      },
      readyUrl: `${url}/healthz`,
    });
    const hub = { proc, url, port, dataDir, realm };
    hubs.push(hub);
    return hub;
  }

  function token(
    hub: Pick<Hub, 'realm'>,
    deviceId: string,
    overrides: { tenantId?: string; storeId?: string; ttlSeconds?: number; now?: number; key?: GeneratedKeyPair } = {},
  ): string {
    return signClusterToken(
      { sub: deviceId, tenantId: overrides.tenantId ?? hub.realm.tenantId, storeId: overrides.storeId ?? hub.realm.storeId, role: 'device' },
      (overrides.key ?? keys).privateKey,
      overrides.ttlSeconds ?? 3600,
      overrides.now,
    );
  }

  function client(hub: Hub, deviceId: string, storePath?: string): HubClient {
    const c = new HubClient({ url: hub.url, token: token(hub, deviceId), deviceId, ...hub.realm, storePath });
    clients.push(c);
    return c;
  }

  async function device(hub: Hub, deviceId: string): Promise<{ client: HubClient; relayed: StoredEvent[]; delivered: number[] }> {
    const c = client(hub, deviceId);
    const relayed: StoredEvent[] = [];
    const delivered: number[] = [];
    c.on('event', (event, source) => {
      delivered.push(event.seq);
      if (source === 'relay') relayed.push(event);
    });
    await c.connect();
    await c.waitCaughtUp();
    return { client: c, relayed, delivered };
  }

  function raw(hub: Hub, tokenValue: string | undefined): Socket {
    const socket = io(hub.url, { transports: ['websocket'], reconnection: false, auth: tokenValue === undefined ? {} : { token: tokenValue } });
    sockets.push(socket);
    return socket;
  }

  function handshake(socket: Socket): Promise<string> {
    return new Promise((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(error.message));
    });
  }

  /** Every event the hub holds, read from seq 0 by a fresh device. */
  async function hubLog(hub: Hub): Promise<StoredEvent[]> {
    const reader = client(hub, `reader-${uuidv7().slice(-8)}`);
    const events: StoredEvent[] = [];
    reader.on('event', (event) => events.push(event));
    await reader.connect();
    await reader.waitCaughtUp();
    reader.close();
    return events;
  }

  function order(realm: { tenantId: string; storeId: string }, deviceId: string, overrides: Partial<EventBase> = {}): EventBase {
    return makeEvent({ ...realm, aggregateId: `order-${uuidv7()}`, actor: { deviceId }, clock: { lamport: 1, deviceId }, ...overrides });
  }

  beforeAll(async () => {
    keys = generateEs256KeyPair();
    tmp = await createTempDir('edge-e2e');
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of sockets.splice(0)) s.disconnect();
    await Promise.all(hubs.splice(0).map((h) => h.proc.stop()));
  });

  afterAll(async () => {
    await tmp.remove();
  });

  it('should relay to every other device and not the sender, and never across realms', async () => {
    const hubA = await startHub({ tenantId: 't-demo', storeId: 's-001' });
    const hubB = await startHub({ tenantId: 't-demo', storeId: 's-002' });
    const a = await Promise.all(['till-1', 'till-2', 'kds-1'].map((id) => device(hubA, id)));
    const b = await Promise.all(['till-1', 'till-2'].map((id) => device(hubB, id)));

    expect(await a[0]!.client.append(order(hubA.realm, 'till-1'))).toEqual({ ok: true, seq: 1 });
    expect(await b[0]!.client.append(order(hubB.realm, 'till-1'))).toEqual({ ok: true, seq: 1 });
    expect(await b[1]!.client.append(order(hubB.realm, 'till-2'))).toEqual({ ok: true, seq: 2 });
    await waitFor(() => a[1]!.relayed.length === 1 && a[2]!.relayed.length === 1 && b[0]!.relayed.length === 1 && b[1]!.relayed.length === 1, {
      what: 'the relays',
    });

    expect(a[0]!.relayed).toEqual([]);
    for (const d of [a[1]!, a[2]!]) expect(d.relayed.map((e) => [e.storeId, e.actor.deviceId])).toEqual([['s-001', 'till-1']]);
    expect(b[0]!.relayed.map((e) => e.actor.deviceId)).toEqual(['till-2']);
    expect(b[1]!.relayed.map((e) => e.actor.deviceId)).toEqual(['till-1']);
    // Hub A's log holds its own realm only, and a device of A never saw anything of s-002.
    expect((await hubLog(hubA)).map((e) => e.storeId)).toEqual(['s-001']);
    expect(a.flatMap((d) => d.relayed).some((e) => e.storeId !== 's-001')).toBe(false);

    // An event of B's realm sent to A is refused, and a token of B does not open A.
    const socket = raw(hubA, token(hubA, 'till-1'));
    await handshake(socket);
    expect(await socket.emitWithAck(HUB_EVENTS.eventsAppend, order(hubB.realm, 'till-1'))).toMatchObject({ ok: false, code: 'REALM_MISMATCH' });
    expect(await handshake(raw(hubA, token(hubB, 'till-1')))).toBe('realm_mismatch');
  });

  it('should refuse tokens of another tenant or store, expired and forged ones at the handshake', async () => {
    const hub = await startHub();
    expect(await handshake(raw(hub, token(hub, 'till-1', { tenantId: 't-other' })))).toBe('realm_mismatch');
    expect(await handshake(raw(hub, token(hub, 'till-1', { storeId: 's-999' })))).toBe('realm_mismatch');
    expect(await handshake(raw(hub, token(hub, 'till-1', { ttlSeconds: 60, now: Date.now() - 2 * 3600_000 })))).toBe('unauthorized');
    expect(await handshake(raw(hub, token(hub, 'till-1', { key: generateEs256KeyPair() })))).toBe('unauthorized');
    expect(await handshake(raw(hub, undefined))).toBe('unauthorized');
    expect(await handshake(raw(hub, token(hub, 'till-1')))).toBe('connected');
  });

  it('should enforce versions, leases (with expiry), duplicates and the schema', async () => {
    const hub = await startHub(undefined, { env: { EDGE_LEASE_TTL_OVERRIDE_MS: '500' } });
    const till1 = raw(hub, token(hub, 'till-1'));
    const till2 = raw(hub, token(hub, 'till-2'));
    await Promise.all([handshake(till1), handshake(till2)]);
    const send = (socket: Socket, event: unknown) => socket.emitWithAck(HUB_EVENTS.eventsAppend, event) as Promise<AppendAck>;
    const base = { aggregateId: 'order-42' };
    const created = makeEvent(base);

    expect(await send(till1, created)).toEqual({ ok: true, seq: 1 });
    expect(await send(till1, created)).toEqual({ ok: true, seq: 1, duplicate: true });
    expect(await send(till2, makeEvent({ ...base, version: 1, actor: { deviceId: 'till-2' } }))).toMatchObject({
      ok: false,
      code: 'VERSION_CONFLICT',
      currentVersion: 1,
    });
    expect(await send(till1, makeEvent({ ...base, type: 'order.locked', version: 2, payload: { ttlSeconds: 45 } }))).toEqual({ ok: true, seq: 2 });
    expect(
      await send(till2, makeEvent({ ...base, type: 'order.paid', version: 3, payload: { totalCents: 100, method: 'cash' }, actor: { deviceId: 'till-2' } })),
    ).toMatchObject({
      ok: false,
      code: 'LOCKED',
      holder: 'till-1',
    });
    await new Promise((resolve) => setTimeout(resolve, 600)); // the hub's 500 ms test lease lapses
    expect(
      await send(till2, makeEvent({ ...base, type: 'order.paid', version: 3, payload: { totalCents: 100, method: 'cash' }, actor: { deviceId: 'till-2' } })),
    ).toEqual({ ok: true, seq: 3 });
    for (const bad of [null, 42, 'x', [], { ...makeEvent(), eventId: 'nope' }, makeEvent({ payload: { items: [{ sku: 'B1', qty: -1 }] } })]) {
      expect(await send(till1, bad)).toMatchObject({ ok: false, code: 'INVALID' });
    }
    // The hub is still serving both connections.
    expect(await send(till2, makeEvent({ aggregateId: 'order-43', actor: { deviceId: 'till-2' } }))).toEqual({ ok: true, seq: 4 });
  });

  it('should keep every acknowledged event exactly once through a kill -9, and every device should catch up with no gap or duplicate', async () => {
    const port = await freePort();
    const dataDir = path.join(tmp.path, 'kill9');
    let hub = await startHub(undefined, { port, dataDir });
    const devices = await Promise.all(Array.from({ length: 10 }, (_, i) => device(hub, `till-${i + 1}`)));
    const acked = new Map<string, number>();
    let stop = false;
    const writers = devices.map(async ({ client: c }, i) => {
      const deviceId = `till-${i + 1}`;
      const pending: Promise<void>[] = [];
      while (!stop) {
        const event = order(hub.realm, deviceId);
        pending.push(
          c.append(event).then((ack) => {
            if (!ack.ok) throw new Error(`${event.eventId} refused: ${ack.code}`);
            acked.set(event.eventId, ack.seq);
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await Promise.all(pending);
    });

    await waitFor(() => acked.size >= 300, { what: '300 acknowledged events', timeoutMs: 30_000 });
    const ackedBeforeKill = new Map(acked);
    await hub.proc.kill9();
    hubs.splice(hubs.indexOf(hub), 1);
    hub = await startHub(undefined, { port, dataDir });
    await waitFor(() => acked.size >= ackedBeforeKill.size + 300, { what: '300 more after the restart', timeoutMs: 30_000 });
    stop = true;
    await Promise.all(writers);

    const log = await hubLog(hub);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
    expect(new Set(log.map((e) => e.eventId)).size).toBe(log.length);
    const seqOf = new Map(log.map((e) => [e.eventId, e.seq]));
    for (const [eventId, seq] of ackedBeforeKill) expect(seqOf.get(eventId)).toBe(seq);
    for (const [eventId, seq] of acked) expect(seqOf.get(eventId)).toBe(seq);
    expect(log.length).toBe(acked.size);

    await waitFor(() => devices.every((d) => d.client.cursor === log.length), { what: 'every device to hold the whole log' });
    for (const d of devices) expect(d.delivered).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
  });

  it('should take the 500 events of a device that was offline, across a restart of the device, each exactly once', async () => {
    const port = await freePort();
    const realm = { tenantId: 't-demo', storeId: 's-001' };
    const storePath = path.join(tmp.path, 'till-7', 'device.sqlite');
    const offline = new HubClient({
      url: `http://127.0.0.1:${port}`,
      token: signClusterToken({ sub: 'till-7', ...realm, role: 'device' }, keys.privateKey, 3600),
      deviceId: 'till-7',
      ...realm,
      storePath,
    });
    const events = Array.from({ length: 500 }, (_, i) =>
      i % 5 === 4
        ? makeEvent({ ...realm, type: 'inventory.adjusted', aggregateId: 'B1', payload: { sku: 'B1', delta: -1 }, actor: { deviceId: 'till-7' } })
        : order(realm, 'till-7'),
    );
    for (const event of events) void offline.append(event);
    expect(offline.outboxSize()).toBe(500);
    offline.close(); // the till app restarts while the hub is still unreachable

    const hub = await startHub(realm, { port });
    const restarted = client(hub, 'till-7', storePath);
    const rejected: unknown[] = [];
    restarted.on('rejected', (event, ack) => rejected.push([event.eventId, ack]));
    expect(restarted.outboxSize()).toBe(500);
    await restarted.connect();
    await waitFor(() => restarted.outboxSize() === 0, { what: 'the outbox to drain', timeoutMs: 30_000 });
    expect(rejected).toEqual([]);

    const log = await hubLog(hub);
    expect(log.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    const inventory = (await (await fetch(`${hub.url}/api/v1/inventory`, { headers: { authorization: `Bearer ${token(hub, 'till-7')}` } })).json()) as {
      items: { sku: string; quantity: number }[];
    };
    expect(inventory.items).toEqual([expect.objectContaining({ sku: 'B1', quantity: -100 })]);
  });

  it('should turn kitchen items into a KDS ticket that a display marks done, and the till should see it', async () => {
    const hub = await startHub();
    const till = await device(hub, 'till-1');
    const kds = await device(hub, 'kds-1');
    const bds = await device(hub, 'bds-1');
    const items = [
      { lineId: 'l1', sku: 'MAIN-BURGER', qty: 2, name: 'Burger', station: 'kitchen' as const },
      { lineId: 'l2', sku: 'DRINK-LAGER', qty: 1, name: 'Lager', station: 'bar' as const },
      { lineId: 'l3', sku: 'DESSERT-CAKE', qty: 1, name: 'Cake', station: null },
    ];
    expect(await till.client.append(order(hub.realm, 'till-1', { aggregateId: 'order-7', payload: { items, tableId: 'T3' } }))).toMatchObject({ ok: true });

    const kitchen = await waitFor(() => kds.relayed.find((e) => e.type === 'kds.ticket.created'), { what: 'the kitchen ticket on the KDS' });
    expect(kitchen.payload).toEqual({ orderId: 'order-7', station: 'kitchen', items: [{ sku: 'MAIN-BURGER', qty: 2, name: 'Burger' }] });
    const bar = await waitFor(() => bds.relayed.find((e) => e.type === 'bds.ticket.created'), { what: 'the bar ticket on the BDS' });
    expect(bar.payload).toMatchObject({ orderId: 'order-7', station: 'bar', items: [{ sku: 'DRINK-LAGER', qty: 1, name: 'Lager' }] });

    const ticketId = kitchen.aggregateId;
    const step = (type: 'kds.ticket.ack' | 'kds.ticket.done', version: number) =>
      kds.client.append(
        makeEvent({
          ...hub.realm,
          type,
          aggregateType: 'kds',
          aggregateId: ticketId,
          version,
          payload: {},
          actor: { deviceId: 'kds-1' },
          clock: { lamport: kds.client.cursor + 1, deviceId: 'kds-1' },
        }),
      );
    expect(await step('kds.ticket.ack', 2)).toMatchObject({ ok: true });
    expect(await step('kds.ticket.done', 3)).toMatchObject({ ok: true });

    await waitFor(() => till.relayed.some((e) => e.type === 'kds.ticket.done' && e.aggregateId === ticketId), { what: 'the till to see the ticket done' });
    const res = await fetch(`${hub.url}/api/v1/tickets?station=kitchen`, { headers: { authorization: `Bearer ${token(hub, 'till-1')}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tickets: unknown[] }).tickets).toEqual([
      expect.objectContaining({ ticketId, orderId: 'order-7', status: 'done', version: 3 }),
    ]);
    const open = (await (await fetch(`${hub.url}/api/v1/orders`, { headers: { authorization: `Bearer ${token(hub, 'till-1')}` } })).json()) as {
      orders: { orderId: string; status: string }[];
    };
    expect(open.orders).toEqual([expect.objectContaining({ orderId: 'order-7', status: 'active' })]);
  });
});
