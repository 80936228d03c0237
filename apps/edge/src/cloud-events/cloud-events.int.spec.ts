import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { HUB_EVENTS, type StoredEvent } from '@app/contracts';
import { makeEvent, waitFor } from '@app/testing';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { collect, connectDevice, listenOnLoopback } from '../../test/hub-socket.js';
import { CloudSigner } from '../../test/signed-commands.js';

const fromHq = (overrides: Parameters<typeof makeEvent>[0] = {}) =>
  makeEvent({ aggregateId: 'hq-order', actor: { deviceId: 'hq' }, clock: { lamport: 7, deviceId: 'hq' }, ...overrides });

describe('POST /api/v1/events (edge)', () => {
  let edge: EdgeTestApp;
  let cloud: CloudSigner;
  let agent: string;

  beforeEach(async () => {
    edge = await startEdgeTestApp('cloud-events');
    cloud = new CloudSigner(edge.clusterKeys.privateKey);
    agent = cloud.token('agent');
  });

  afterEach(async () => {
    await edge.close();
  });

  const post = (event: unknown, token = agent) =>
    request(edge.server)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${token}`)
      .send(event as object);

  it('should append a cloud event once, answering a repeat with its original seq', async () => {
    const event = fromHq();
    expect((await post(event).expect(200)).body).toEqual({ seq: 1, duplicate: false });
    expect((await post(fromHq({ aggregateId: 'hq-2' })).expect(200)).body).toEqual({ seq: 2, duplicate: false });
    expect((await post(event).expect(200)).body).toEqual({ seq: 1, duplicate: true });
    const status = await request(edge.server).get('/status').expect(200);
    expect(status.body).toMatchObject({ latestSeq: 2, outboxDepth: 0 });
  });

  it('should relay it to every device of the realm', async () => {
    const url = await listenOnLoopback(edge);
    const sockets: Socket[] = [
      await connectDevice(url, cloud.token('device', 'till-1'), 'till-1'),
      await connectDevice(url, cloud.token('device', 'kds-1'), 'kds-1'),
    ];
    try {
      const seen = sockets.map((s) => collect<StoredEvent>(s, HUB_EVENTS.eventsRelay));
      const event = fromHq();
      await post(event).expect(200);
      await waitFor(() => seen.every((list) => list.length === 1), { what: 'the relay on both devices' });
      for (const list of seen) expect(list[0]).toMatchObject({ eventId: event.eventId, seq: 1, aggregateId: 'hq-order' });
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  });

  it("should refuse a malformed event naming the field, another realm's, and a version conflict", async () => {
    const bad = await post({ ...fromHq(), version: 0 }).expect(422);
    expect(bad.body).toMatchObject({ code: 'INVALID', details: { issues: [expect.objectContaining({ path: 'version' })] } });
    expect((await post('not an event').expect(422)).body).toMatchObject({ code: 'INVALID' });
    expect((await post(fromHq({ storeId: 's-002' })).expect(422)).body).toMatchObject({ code: 'REALM_MISMATCH' });
    await post(fromHq()).expect(200);
    const conflict = await post(fromHq({ type: 'order.updated', version: 3, payload: { items: [] } })).expect(409);
    expect(conflict.body).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 1 } });
    expect((await request(edge.server).get('/status').expect(200)).body).toMatchObject({ latestSeq: 1 });
  });

  it('should be for the agent only', async () => {
    await request(edge.server).post('/api/v1/events').send(fromHq()).expect(401);
    expect((await post(fromHq(), cloud.token('device')).expect(403)).body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await post(fromHq(), cloud.token('agent', 'agent-2', { tenantId: 't-x', storeId: 's-001' })).expect(403)).body).toMatchObject({
      code: 'REALM_MISMATCH',
    });
  });
});
