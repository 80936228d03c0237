import request from 'supertest';
import { makeEvent } from '@app/testing';
import { EventStoreService } from '../event-store/event-store.service.js';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { CloudSigner } from '../../test/signed-commands.js';

describe('outbox routes (edge)', () => {
  let edge: EdgeTestApp;
  let cloud: CloudSigner;
  let agent: string;

  beforeEach(async () => {
    edge = await startEdgeTestApp('outbox');
    cloud = new CloudSigner(edge.clusterKeys.privateKey);
    agent = cloud.token('agent');
  });

  afterEach(async () => {
    await edge.close();
  });

  /** Device events on their own orders (seq 1..n), through the real event store. */
  async function deviceEvents(count: number, prefix = 'order'): Promise<number[]> {
    const store = edge.app.get(EventStoreService);
    const acks = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        store.append(makeEvent({ aggregateId: `${prefix}-${i}` }), { deviceId: 'till-1', role: 'device', origin: 'device' }),
      ),
    );
    return acks.map((ack) => (ack.ok ? ack.seq : Number.NaN));
  }

  const cloudEvent = (aggregateId: string) =>
    request(edge.server)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${agent}`)
      .send(makeEvent({ aggregateId, actor: { deviceId: 'hq' }, clock: { lamport: 1, deviceId: 'hq' } }))
      .expect(200);
  const read = (query = '') => request(edge.server).get(`/api/v1/outbox${query}`).set('Authorization', `Bearer ${agent}`);
  const moveCursor = (cursor: unknown) => request(edge.server).put('/api/v1/outbox/cursor').set('Authorization', `Bearer ${agent}`).send({ cursor });
  const status = async () =>
    (await request(edge.server).get('/status').expect(200)).body as {
      outboxDepth: number;
      cloudCursor: number;
      lastCloudSyncAt: string | null;
      latestSeq: number;
    };

  it('should page device events in seq order from the cloud cursor', async () => {
    expect((await read().expect(200)).body).toEqual({ events: [], nextCursor: 0, hasMore: false, cloudCursor: 0 });
    await deviceEvents(5);
    const first = await read('?limit=2').expect(200);
    expect(first.body).toMatchObject({ nextCursor: 2, hasMore: true, cloudCursor: 0 });
    expect(first.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    const rest = await read('?after=2').expect(200);
    expect(rest.body.events.map((e: { seq: number }) => e.seq)).toEqual([3, 4, 5]);
    expect(rest.body).toMatchObject({ nextCursor: 5, hasMore: false });
    expect(rest.body.events[0]).toMatchObject({ eventId: expect.any(String), tenantId: 't-demo', storeId: 's-001', type: 'order.created', seq: 3 });
  });

  it('should never ship cloud events back, but step over them with the cursor', async () => {
    await deviceEvents(2);
    await cloudEvent('hq-1');
    await cloudEvent('hq-2');
    await deviceEvents(1, 'later');
    const page = await read('?limit=3').expect(200);
    expect(page.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(page.body).toMatchObject({ nextCursor: 3, hasMore: true });
    const onlyCloud = await read('?after=2&limit=2').expect(200);
    expect(onlyCloud.body).toMatchObject({ events: [], nextCursor: 4, hasMore: true });
    const last = await read('?after=4').expect(200);
    expect(last.body.events.map((e: { seq: number; aggregateId: string }) => [e.seq, e.aggregateId])).toEqual([[5, 'later-0']]);
    expect(await status()).toMatchObject({ latestSeq: 5, outboxDepth: 3, cloudCursor: 0 });
  });

  it('should move the cursor forward only, count what is left, and record the sync time', async () => {
    await deviceEvents(4);
    expect(await status()).toMatchObject({ outboxDepth: 4, cloudCursor: 0, lastCloudSyncAt: null });
    const moved = await moveCursor(3).expect(200);
    expect(moved.body).toEqual({ cloudCursor: 3, outboxDepth: 1, lastCloudSyncAt: expect.any(String) });
    expect(await status()).toMatchObject({ outboxDepth: 1, cloudCursor: 3, lastCloudSyncAt: moved.body.lastCloudSyncAt });
    expect((await read().expect(200)).body.events.map((e: { seq: number }) => e.seq)).toEqual([4]);
    const back = await moveCursor(2).expect(409);
    expect(back.body).toMatchObject({ code: 'CURSOR_BACKWARDS', message: expect.stringContaining('at 3'), details: { cloudCursor: 3 } });
    const ahead = await moveCursor(5).expect(422);
    expect(ahead.body).toMatchObject({ code: 'CURSOR_AHEAD', details: { latestSeq: 4 } });
    const same = await moveCursor(3).expect(200);
    expect(same.body).toMatchObject({ cloudCursor: 3, outboxDepth: 1 });
    expect(Date.parse(same.body.lastCloudSyncAt)).toBeGreaterThanOrEqual(Date.parse(moved.body.lastCloudSyncAt));
    await moveCursor(4).expect(200);
    expect(await status()).toMatchObject({ outboxDepth: 0, cloudCursor: 4 });
    const audit = await request(edge.server).get('/api/v1/audit').set('Authorization', `Bearer ${agent}`).expect(200);
    expect(audit.body.entries.map((e: { action: string; details: unknown }) => [e.action, e.details])).toEqual([
      ['outbox.cursor.moved', { from: 3, to: 4 }],
      ['outbox.cursor.moved', { from: 0, to: 3 }],
    ]);
  });

  it('should keep the cursor across a restart of the hub', async () => {
    await deviceEvents(3);
    await moveCursor(2).expect(200);
    const dataDir = edge.tmp.path;
    await edge.app.close();
    const again = await startEdgeTestApp('outbox-restart', { EDGE_DATA_DIR: dataDir });
    try {
      const page = await request(again.server)
        .get('/api/v1/outbox')
        .set('Authorization', `Bearer ${new CloudSigner(again.clusterKeys.privateKey).token('agent')}`)
        .expect(200);
      expect(page.body).toMatchObject({ cloudCursor: 2, nextCursor: 3, hasMore: false });
      expect(page.body.events.map((e: { seq: number }) => e.seq)).toEqual([3]);
    } finally {
      await again.close();
    }
  });

  it('should refuse bad queries and bodies naming the field, and callers that are not the agent', async () => {
    expect((await read('?limit=0').expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: 'limit' })] },
    });
    expect((await read('?after=-1').expect(400)).body.details.issues).toEqual([expect.objectContaining({ path: 'after' })]);
    expect((await moveCursor('3').expect(400)).body.details.issues).toEqual([expect.objectContaining({ path: 'cursor' })]);
    expect((await moveCursor(-1).expect(400)).body.details.issues).toEqual([expect.objectContaining({ path: 'cursor' })]);
    await request(edge.server).get('/api/v1/outbox').expect(401);
    await request(edge.server).put('/api/v1/outbox/cursor').send({ cursor: 0 }).expect(401);
    expect(
      (
        await request(edge.server)
          .get('/api/v1/outbox')
          .set('Authorization', `Bearer ${cloud.token('device')}`)
          .expect(403)
      ).body,
    ).toMatchObject({ code: 'FORBIDDEN' });
    await request(edge.server)
      .put('/api/v1/outbox/cursor')
      .set('Authorization', `Bearer ${cloud.token('device')}`)
      .send({ cursor: 0 })
      .expect(403);
  });
});
