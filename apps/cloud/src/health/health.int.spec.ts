import type { PoolConnection } from 'mysql2/promise';
import request from 'supertest';
import { freePort, waitFor } from '@app/testing';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { SqlPool } from '../database/sql-pool.js';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { JobQueues } from '../queues/job-queues.js';
import { RedisStateWatch } from '../queues/redis-state-watch.js';
import { HEALTH_CHECK_TIMEOUT_MS } from './health.service.js';

describe('GET /healthz', () => {
  let cloud: CloudTestApp;

  afterEach(async () => {
    await cloud?.close();
  });

  it('should answer 200 when MySQL and Redis are reachable', async () => {
    cloud = await startCloudTestApp('health');
    const res = await request(cloud.server).get('/healthz').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: {
        mysql: { status: 'up', latencyMs: expect.any(Number) },
        mysqlReads: { status: 'up', latencyMs: expect.any(Number) },
        redis: { status: 'up', latencyMs: expect.any(Number) },
      },
    });
  });

  it('should answer 503 REDIS_UNAVAILABLE at once when Redis is unreachable', async () => {
    cloud = await startCloudTestApp('health-noredis', { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const started = Date.now();
    const res = await request(cloud.server).get('/healthz').expect(503);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(res.body).toMatchObject({ status: 'unavailable', code: 'REDIS_UNAVAILABLE', checks: { mysql: { status: 'up' }, redis: { status: 'down' } } });
    expect(res.body.checks.redis.error).toEqual(expect.any(String));
  });

  it('should answer 503 DATABASE_UNAVAILABLE within its bound while the write path has no free connection, and 200 once one is released', async () => {
    // No background work on the pool meanwhile: its queue then holds only what the probes add. The
    // pool's own acquire bound is set past the probes' so that it is the health check's bound that shows.
    cloud = await startCloudTestApp('health-pool', {
      DATABASE_POOL_SIZE: '3',
      DATABASE_ACQUIRE_TIMEOUT_MS: '60000',
      RECOVERY_SWEEP_SECONDS: '3600',
      RECONCILE_INTERVAL_SECONDS: '3600',
    });
    await cloud.app.get(RedisStateWatch).check('test');
    // A new schedule runs its first pass at once: let it finish before the pool is taken.
    await waitFor(async () => (await cloud.app.get(JobQueues).queue('reconciliation').getCompletedCount()) >= 1, { what: 'the first reconciliation pass' });
    const pool = cloud.app.get(SqlPool);
    // Every connection of the app's own write pool, held (what leaked connections amount to).
    const held: PoolConnection[] = [];
    for (let i = 0; i < 3; i += 1) held.push(await pool.getConnection());
    try {
      for (let probe = 0; probe < 3; probe += 1) {
        const started = Date.now();
        const res = await request(cloud.server).get('/healthz').expect(503);
        const took = Date.now() - started;
        expect(took).toBeGreaterThanOrEqual(HEALTH_CHECK_TIMEOUT_MS - 50);
        expect(took).toBeLessThan(HEALTH_CHECK_TIMEOUT_MS + 1_000);
        expect(res.body).toMatchObject({
          status: 'unavailable',
          code: 'DATABASE_UNAVAILABLE',
          checks: { mysql: { status: 'down', error: `no answer within ${HEALTH_CHECK_TIMEOUT_MS} ms` }, mysqlReads: { status: 'up' }, redis: { status: 'up' } },
        });
      }
      // Probes join the one that is waiting instead of queueing a waiter each.
      expect(pool.stats().queued).toBe(1);
    } finally {
      held.pop()!.release();
    }
    const res = await request(cloud.server).get('/healthz').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { mysql: { status: 'up' } } });
    for (const connection of held) connection.release();
  });

  it('should answer 503 SHUTTING_DOWN once shutdown has begun, with the dependencies still up', async () => {
    cloud = await startCloudTestApp('health-draining');
    cloud.app.get(ShutdownState).begin();
    const res = await request(cloud.server).get('/healthz').expect(503);
    expect(res.body).toMatchObject({ status: 'unavailable', code: 'SHUTTING_DOWN', checks: { mysql: { status: 'up' }, redis: { status: 'up' } } });
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
