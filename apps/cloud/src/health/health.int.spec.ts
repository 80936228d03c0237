import request from 'supertest';
import { freePort } from '@app/testing';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';

describe('GET /healthz', () => {
  let cloud: CloudTestApp;

  afterEach(async () => {
    await cloud?.close();
  });

  it('should answer 200 when MySQL and Redis are reachable', async () => {
    cloud = await startCloudTestApp('health');
    const res = await request(cloud.server).get('/healthz').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { mysql: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('should answer 503 naming Redis when Redis is unreachable', async () => {
    cloud = await startCloudTestApp('health-noredis', { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const res = await request(cloud.server).get('/healthz').expect(503);
    expect(res.body).toMatchObject({ status: 'unavailable', checks: { mysql: { status: 'up' }, redis: { status: 'down' } } });
    expect(res.body.checks.redis.error).toEqual(expect.any(String));
  });
});

describe('errors', () => {
  let cloud: CloudTestApp;

  beforeAll(async () => {
    cloud = await startCloudTestApp('errors');
  });

  afterAll(async () => {
    await cloud.close();
  });

  it('should answer an unknown route with the product error body', async () => {
    const res = await request(cloud.server).get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.stringContaining('/api/v1/nothing-here') });
  });

  it('should answer malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await request(cloud.server).post('/api/v1/anything').set('content-type', 'application/json').send('{"broken":').expect(400);
    expect(res.body).toEqual({ statusCode: 400, code: 'MALFORMED_JSON', message: 'request body is not valid JSON' });
  });

  it('should answer a body over the limit with 413', async () => {
    const res = await request(cloud.server)
      .post('/api/v1/anything')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ blob: 'x'.repeat(9 * 1024 * 1024) }))
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});
