import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { HUB_EVENTS, uuidv7, type AppendAck } from '@app/contracts';
import { makeEvent, metricSample as sample, metricTypes, promtoolCheckMetrics, waitFor } from '@app/testing';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { deviceToken, handshakeOutcome, rawSocket } from '../../test/hub-devices.js';
import { collect, connectDevice, listenOnLoopback } from '../../test/hub-socket.js';
import { EdgeMetrics } from './edge-metrics.js';

const BURST = 20;

describe(EdgeMetrics.name, () => {
  let edge: EdgeTestApp;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // A small per-device burst, so that one device's flood is rate-limited for real.
    edge = await startEdgeTestApp('metrics', { EDGE_RATE_LIMIT_PER_SECOND: '1', EDGE_RATE_LIMIT_BURST: String(BURST) });
    url = await listenOnLoopback(edge);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await edge.close();
  });

  /** A device in the realm's room (past hello), with every relay it receives. */
  async function roomDevice(deviceId: string): Promise<{ socket: Socket; relays: unknown[] }> {
    const socket = await connectDevice(url, deviceToken(edge.clusterKeys.privateKey, deviceId), deviceId);
    sockets.push(socket);
    return { socket, relays: collect(socket, HUB_EVENTS.eventsRelay) };
  }

  /** A connected device that never said hello: it appends but is sent no relay. */
  async function sender(deviceId: string): Promise<Socket> {
    const socket = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, deviceId));
    sockets.push(socket);
    expect(await handshakeOutcome(socket)).toBe('connected');
    return socket;
  }

  const append = (socket: Socket, event: unknown) => socket.emitWithAck(HUB_EVENTS.eventsAppend, event) as Promise<AppendAck>;
  const order = (deviceId: string, overrides: Parameters<typeof makeEvent>[0] = {}) =>
    makeEvent({ aggregateId: uuidv7(), actor: { deviceId }, clock: { lamport: 1, deviceId }, ...overrides });

  it('should answer GET /metrics without a token, in the Prometheus text format, clean for promtool from the start', async () => {
    const res = await request(edge.server).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await promtoolCheckMetrics(res.text)).toEqual({ exitCode: 0, output: '' });
    expect(sample(res.text, 'pos_edge_appends_total', { result: 'refused', code: 'RATE_LIMITED' })).toBe(0);
  });

  it('should count appends by result and code, relays, commits and ack times after real Socket.IO traffic', async () => {
    const tillA = '0193c6a4-0000-7000-8000-00000000a001';
    const tillB = '0193c6a4-0000-7000-8000-00000000a002';
    const kds = '0193c6a4-0000-7000-8000-00000000a003';
    const [a, b, c] = [await roomDevice(tillA), await roomDevice(tillB), await roomDevice(kds)];

    // Five orders from a device of the room: each relayed to the two others.
    const orders = Array.from({ length: 5 }, () => order(tillA));
    expect(await Promise.all(orders.map((e) => append(a.socket, e)))).toEqual(orders.map(() => ({ ok: true, seq: expect.any(Number) })));
    expect(await append(a.socket, orders[0])).toMatchObject({ ok: true, duplicate: true });
    expect(await append(a.socket, order(tillA, { aggregateId: orders[1]!.aggregateId, version: 1 }))).toMatchObject({ ok: false, code: 'VERSION_CONFLICT' });

    // A device that flood-appends past its burst: the rest is RATE_LIMITED; its accepted events go to all three.
    const floodId = '0193c6a4-0000-7000-8000-00000000f100';
    const flood = await sender(floodId);
    const floodAcks = await Promise.all(Array.from({ length: BURST + 10 }, () => append(flood, order(floodId))));
    const floodAccepted = floodAcks.filter((ack) => ack.ok).length;
    const rateLimited = floodAcks.filter((ack) => !ack.ok && ack.code === 'RATE_LIMITED').length;
    expect(floodAccepted + rateLimited).toBe(BURST + 10);
    expect(rateLimited).toBeGreaterThanOrEqual(5);

    // Refused before the group commit.
    const strangerId = '0193c6a4-0000-7000-8000-00000000e900';
    const stranger = await sender(strangerId);
    expect(await append(stranger, { eventId: 'not-an-event' })).toMatchObject({ ok: false, code: 'INVALID' });
    expect(await append(stranger, order(strangerId, { tenantId: '0193c6a4-0000-7000-8000-0000000000ff' }))).toMatchObject({
      ok: false,
      code: 'REALM_MISMATCH',
    });

    const accepted = 5 + floodAccepted;
    const relayed = () => a.relays.length + b.relays.length + c.relays.length;
    await waitFor(() => relayed() === 5 * 2 + floodAccepted * 3, { what: 'every relay to arrive' });

    const res = await request(edge.server).get('/metrics').expect(200);
    const text = res.text;
    expect(await promtoolCheckMetrics(text)).toEqual({ exitCode: 0, output: '' });

    expect(sample(text, 'pos_edge_appends_total', { result: 'accepted' })).toBe(accepted);
    expect(sample(text, 'pos_edge_appends_total', { result: 'duplicate' })).toBe(1);
    expect(sample(text, 'pos_edge_appends_total', { result: 'refused', code: 'VERSION_CONFLICT' })).toBe(1);
    expect(sample(text, 'pos_edge_appends_total', { result: 'refused', code: 'RATE_LIMITED' })).toBe(rateLimited);
    expect(sample(text, 'pos_edge_appends_total', { result: 'refused', code: 'INVALID' })).toBe(1);
    expect(sample(text, 'pos_edge_appends_total', { result: 'refused', code: 'REALM_MISMATCH' })).toBe(1);
    expect(sample(text, 'pos_edge_appends_total', { result: 'refused', code: 'LOCKED' })).toBe(0);
    expect(sample(text, 'pos_edge_relay_deliveries_total')).toBe(relayed());

    // What reached the writer: the accepted, the duplicate and the version conflict.
    const committed = accepted + 2;
    expect(sample(text, 'pos_edge_group_commit_events_sum')).toBe(committed);
    const groups = sample(text, 'pos_edge_group_commit_events_count')!;
    expect(groups).toBeGreaterThanOrEqual(3);
    expect(groups).toBeLessThanOrEqual(committed);
    expect(sample(text, 'pos_edge_group_commit_duration_seconds_count')).toBe(groups);
    expect(sample(text, 'pos_edge_group_commit_duration_seconds_sum')).toBeGreaterThan(0);
    expect(sample(text, 'pos_edge_append_ack_duration_seconds_count')).toBe(committed);
    expect(sample(text, 'pos_edge_append_ack_duration_seconds_bucket', { le: '+Inf' })).toBe(committed);

    // Gauges, read on scrape as /status computes them.
    const status = (await request(edge.server).get('/status').expect(200)).body as { connectedDevices: number; outboxDepth: number };
    expect(sample(text, 'pos_edge_connected_devices')).toBe(5);
    expect(status.connectedDevices).toBe(5);
    expect(sample(text, 'pos_edge_outbox_events')).toBe(accepted);
    expect(status.outboxDepth).toBe(accepted);

    expect(metricTypes(text)).toMatchObject({
      pos_edge_appends_total: 'counter',
      pos_edge_relay_deliveries_total: 'counter',
      pos_edge_append_ack_duration_seconds: 'histogram',
      pos_edge_group_commit_events: 'histogram',
      pos_edge_group_commit_duration_seconds: 'histogram',
      pos_edge_connected_devices: 'gauge',
      pos_edge_outbox_events: 'gauge',
      pos_edge_process_cpu_user_seconds_total: 'counter',
      pos_edge_process_resident_memory_bytes: 'gauge',
      pos_edge_nodejs_eventloop_lag_seconds: 'gauge',
    });
  });

  it('should follow the outbox down as the cloud takes events, and the devices as they leave', async () => {
    const tillId = '0193c6a4-0000-7000-8000-00000000a009';
    expect(await append(await sender(tillId), order(tillId))).toMatchObject({ ok: true });
    expect(sample((await request(edge.server).get('/metrics').expect(200)).text, 'pos_edge_outbox_events')).toBeGreaterThan(0);
    const latestSeq = ((await request(edge.server).get('/status').expect(200)).body as { latestSeq: number }).latestSeq;
    const agent = deviceToken(edge.clusterKeys.privateKey, 'agent-1', { role: 'agent' });
    await request(edge.server).put('/api/v1/outbox/cursor').set('Authorization', `Bearer ${agent}`).send({ cursor: latestSeq }).expect(200);
    for (const socket of sockets.splice(0)) socket.disconnect();
    await waitFor(async () => sample((await request(edge.server).get('/metrics').expect(200)).text, 'pos_edge_connected_devices') === 0, {
      what: 'the devices to be gone',
    });
    expect(sample((await request(edge.server).get('/metrics').expect(200)).text, 'pos_edge_outbox_events')).toBe(0);
  });
});
