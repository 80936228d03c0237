import request from 'supertest';
import { makeEvent } from '@app/testing';
import { EventStoreService } from '../event-store/event-store.service.js';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { CloudSigner } from '../../test/signed-commands.js';
import { EdgeAuditService } from './audit.service.js';

describe('GET /api/v1/audit (edge)', () => {
  let edge: EdgeTestApp;
  let cloud: CloudSigner;

  beforeEach(async () => {
    edge = await startEdgeTestApp('audit');
    cloud = new CloudSigner(edge.clusterKeys.privateKey);
  });

  afterEach(async () => {
    await edge.close();
  });

  const list = (query = '', token = cloud.token('agent')) => request(edge.server).get(`/api/v1/audit${query}`).set('Authorization', `Bearer ${token}`);

  it('should page the trail newest first', async () => {
    const audit = edge.app.get(EdgeAuditService);
    for (let i = 1; i <= 5; i += 1) audit.record({ actor: 'agent-1', action: 'test.entry', target: `t-${i}`, details: { i } });
    const first = await list('?limit=2').expect(200);
    expect(first.body.entries.map((e: { target: string }) => e.target)).toEqual(['t-5', 't-4']);
    expect(first.body.entries[0]).toEqual({
      id: expect.any(Number),
      at: expect.any(String),
      actor: 'agent-1',
      action: 'test.entry',
      target: 't-5',
      details: { i: 5 },
    });
    const second = await list(`?limit=2&before=${first.body.nextBefore}`).expect(200);
    expect(second.body.entries.map((e: { target: string }) => e.target)).toEqual(['t-3', 't-2']);
    const last = await list(`?limit=2&before=${second.body.nextBefore}`).expect(200);
    expect(last.body).toEqual({ entries: [expect.objectContaining({ target: 't-1' })], nextBefore: null });
  });

  it('should record real actions with the caller as actor', async () => {
    await edge.app.get(EventStoreService).append(makeEvent(), { deviceId: 'till-1', role: 'device', origin: 'device' });
    await request(edge.server)
      .put('/api/v1/outbox/cursor')
      .set('Authorization', `Bearer ${cloud.token('agent', 'agent-7')}`)
      .send({ cursor: 1 })
      .expect(200);
    const res = await list().expect(200);
    expect(res.body.entries).toEqual([expect.objectContaining({ actor: 'agent-7', action: 'outbox.cursor.moved', details: { from: 0, to: 1 } })]);
  });

  it('should refuse a bad limit and callers that are not the agent', async () => {
    expect((await list('?limit=0').expect(400)).body.details.issues).toEqual([expect.objectContaining({ path: 'limit' })]);
    expect((await list('?limit=5000').expect(400)).body.details.issues).toEqual([expect.objectContaining({ path: 'limit' })]);
    await request(edge.server).get('/api/v1/audit').expect(401);
    expect((await list('', cloud.token('device')).expect(403)).body).toMatchObject({ code: 'FORBIDDEN' });
  });
});
