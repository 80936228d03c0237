import request from 'supertest';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';

describe('GET /healthz (edge)', () => {
  let edge: EdgeTestApp;

  beforeEach(async () => {
    edge = await startEdgeTestApp('health');
  });

  afterEach(async () => {
    await edge.close();
  });

  it('should answer 200 after a real write to the event store', async () => {
    const res = await request(edge.server).get('/healthz').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { sqlite: { status: 'up' } } });
    const db = edge.app.get<SqliteDatabase>(SQLITE);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'health.probe'").get()).toEqual({ value: expect.any(String) });
  });

  it('should answer 503 when the store cannot take writes', async () => {
    edge.app.get<SqliteDatabase>(SQLITE).close();
    const res = await request(edge.server).get('/healthz').expect(503);
    expect(res.body).toMatchObject({ status: 'unavailable', checks: { sqlite: { status: 'down', error: expect.any(String) } } });
  });
});
