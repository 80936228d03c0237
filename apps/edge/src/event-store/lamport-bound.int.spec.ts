import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { HUB_EVENTS, type AppendAck, type HelloAck, type StoredEvent } from '@app/contracts';
import { DEFAULT_MAX_LAMPORT_SKEW } from '@app/sync';
import { makeEvent, waitFor } from '@app/testing';
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

  beforeEach(async () => {
    // The default bound: the one a hub runs with when EDGE_MAX_LAMPORT_SKEW is not set.
    edge = await startEdgeTestApp('lamport-bound', { TENANT_ID: REALM.tenantId, STORE_ID: REALM.storeId });
    cloud = new CloudSigner(edge.clusterKeys.privateKey, REALM);
    url = await listenOnLoopback(edge);
  });

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
    makeEvent({ ...REALM, aggregateId: randomUUID(), actor: { deviceId }, clock: { lamport, deviceId }, payload: { items: [{ sku: 'FLAT-WHITE-LARGE-OAT', qty: 2, name: 'Flat white, large, oat milk' }] } });

  it('should refuse an event too far ahead on either door, store and relay nothing of it, and leave the clock where it was', async () => {
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
    const reason = `clock.lamport ${far.clock.lamport} is ${DEFAULT_MAX_LAMPORT_SKEW + 1} ahead of the hub's clock 62; at most ${DEFAULT_MAX_LAMPORT_SKEW} ahead is accepted (EDGE_MAX_LAMPORT_SKEW)`;
    expect(refused).toEqual({ ok: false, code: 'INVALID', message: `invalid event: ${reason}`, details: { issues: [{ path: 'clock.lamport', code: 'too_big', message: reason }] } });

    // The same, from HQ through the agent.
    const hq = makeEvent({ ...REALM, aggregateId: randomUUID(), actor: { deviceId: 'hq' }, clock: { lamport: 5_000_000_000, deviceId: 'hq' } });
    const posted = await request(edge.server).post('/api/v1/events').set('Authorization', `Bearer ${cloud.token('agent')}`).send(hq).expect(422);
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
});
