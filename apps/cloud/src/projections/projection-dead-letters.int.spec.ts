import mysql from 'mysql2/promise';
import { uuidv7, type EventBase, type ProjectionDeadLettersPage, type SalesResponse } from '@app/contracts';
import { canonicalize, sha256Hex } from '@app/crypto';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';
import { makeEvent, metricSample, promtoolCheckMetrics, waitFor } from '@app/testing';
import { CloudApi, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { ProjectionsService } from './projections.service.js';

/**
 * Finding 7 of issue 13: an `order.paid` whose `at` was stored as 0000-00-00 made the sales
 * projection throw "Invalid time value" on every run, and no later paid order was ever counted.
 * The rows are written straight into IngestedEvent, as they were stored before ingest refused
 * such dates (ingest now refuses them, so it cannot make them).
 */
describe(`${ProjectionsService.name} with rows it cannot count`, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;
  let tenant: TenantRow;
  let admin: CloudApi;
  let sql: mysql.Connection;

  beforeAll(async () => {
    cloud = await startCloudTestApp('projection-dead-letters');
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
    tenant = await make.tenant({ name: 'Harbour Side Hospitality Group' });
    admin = anyone.as((await make.operatorWithToken(tenant)).token);
    sql = await mysql.createConnection(connectionOptions(parseMysqlUrl(cloud.db.url)));
    // The server's default mode takes zero dates; say so rather than depend on it.
    await sql.query("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'");
  });

  afterAll(async () => {
    await sql?.end();
    await cloud.close();
  });

  async function storeWithNode(): Promise<{ storeId: string; node: RegisteredNode }> {
    const store = await make.store(tenant, { name: 'Harbour Side Kitchen & Bar — Pier 39 concourse', timezone: 'Europe/London' });
    return { storeId: store.id, node: await registerNode(anyone, admin, store.id) };
  }

  const paid = (storeId: string, at: string, totalCents: unknown): EventBase =>
    makeEvent({
      tenantId: tenant.id,
      storeId,
      type: 'order.paid',
      aggregateId: `order-${uuidv7()}`,
      version: 3,
      at,
      payload: { totalCents: totalCents as number, method: 'card' },
    });

  /** Stores an event as the old ingest did, whatever is in it, with `at` as given to the column. */
  async function insertRaw(event: EventBase, atColumn: string): Promise<void> {
    await sql.query(
      `INSERT INTO IngestedEvent (eventId, tenantId, storeId, aggregateType, aggregateId, version, type, at, lamport, deviceId, hubSeq, ` +
        `origin, body, contentHash, receivedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'hub', ?, ?, NOW(3))`,
      [
        event.eventId,
        event.tenantId,
        event.storeId,
        event.aggregateType,
        event.aggregateId,
        event.version,
        event.type,
        atColumn,
        event.clock.lamport,
        event.actor.deviceId,
        JSON.stringify(event),
        sha256Hex(canonicalize(event)),
      ],
    );
  }

  const lastCloudSeq = async (storeId: string) =>
    Number((await prisma.ingestedEvent.findFirstOrThrow({ where: { storeId }, orderBy: { cloudSeq: 'desc' } })).cloudSeq);
  const cursor = async (storeId: string) => Number((await prisma.storeProjectionCursor.findUnique({ where: { storeId } }))?.lastCloudSeq ?? 0);
  const caughtUp = async (storeId: string) => {
    const last = await lastCloudSeq(storeId);
    await waitFor(async () => (await cursor(storeId)) === last, { timeoutMs: 15_000, what: 'the projection to pass every event' });
  };
  const skippedMetric = async (reason: string) => {
    const text = (await anyone.get('/metrics').expect(200)).text;
    return metricSample(text, 'pos_cloud_projection_skipped_total', { projection: 'sales', reason }) ?? 0;
  };

  it('should skip a row with a zero date or a malformed amount, list and count it, and go on counting the orders after it', async () => {
    const { storeId, node } = await storeWithNode();
    const [timeBefore, amountBefore] = [await skippedMetric('invalid_time'), await skippedMetric('invalid_amount')];
    await node.api.post('/api/v1/events/ingest', { events: [paid(storeId, '2026-03-01T12:00:00Z', 1_250)] }).expect(200);
    await caughtUp(storeId);

    // The finding's row: year 10000 in UTC, stored by the old INSERT IGNORE as a zero date.
    const farFuture = paid(storeId, '9999-12-31T23:59:59-14:00', 4_000);
    await insertRaw(farFuture, '0000-00-00 00:00:00.000');
    // A payload the contract never allowed: the amount as a string.
    const stringAmount = paid(storeId, '2026-03-01T13:00:00Z', '12.50');
    await insertRaw(stringAmount, '2026-03-01 13:00:00.000');
    await node.api.post('/api/v1/events/ingest', { events: [paid(storeId, '2026-03-01T18:30:00Z', 2_000)] }).expect(200);
    await caughtUp(storeId);

    const sales = (await admin.get(`/api/v1/stores/${storeId}/sales?from=2026-03-01&to=2026-03-01`).expect(200)).body as SalesResponse;
    expect(sales.days).toEqual([{ day: '2026-03-01', orders: 2, salesCents: 3_250 }]);
    const page = (await admin.get(`/api/v1/stores/${storeId}/projections/dead-letters`).expect(200)).body as ProjectionDeadLettersPage;
    expect(page).toEqual({
      storeId,
      total: 2,
      deadLetters: [
        {
          projection: 'sales',
          cloudSeq: expect.any(Number),
          eventId: farFuture.eventId,
          eventType: 'order.paid',
          reason: 'invalid_time',
          detail: expect.stringContaining('0000-00-00'),
          recordedAt: expect.any(String),
        },
        {
          projection: 'sales',
          cloudSeq: expect.any(Number),
          eventId: stringAmount.eventId,
          eventType: 'order.paid',
          reason: 'invalid_amount',
          detail: expect.stringContaining('"12.50"'),
          recordedAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    expect(await skippedMetric('invalid_time')).toBe(timeBefore + 1);
    expect(await skippedMetric('invalid_amount')).toBe(amountBefore + 1);
    expect(await promtoolCheckMetrics((await anyone.get('/metrics').expect(200)).text)).toEqual({ exitCode: 0, output: '' });

    // The job keeps running: a run over the same rows lists and counts nothing twice, later orders are added.
    await cloud.app.get(ProjectionsService).projectStore(storeId);
    await node.api.post('/api/v1/events/ingest', { events: [paid(storeId, '2026-03-01T20:00:00Z', 750)] }).expect(200);
    await caughtUp(storeId);
    expect(((await admin.get(`/api/v1/stores/${storeId}/sales?from=2026-03-01&to=2026-03-01`).expect(200)).body as SalesResponse).days).toEqual([
      { day: '2026-03-01', orders: 3, salesCents: 4_000 },
    ]);
    expect(((await admin.get(`/api/v1/stores/${storeId}/projections/dead-letters`).expect(200)).body as ProjectionDeadLettersPage).total).toBe(2);
    expect(await skippedMetric('invalid_time')).toBe(timeBefore + 1);
  });

  it("should page the list, and answer another tenant's store as unknown", async () => {
    const { storeId, node } = await storeWithNode();
    for (let i = 0; i < 3; i += 1) await insertRaw(paid(storeId, '2026-04-01T10:00:00Z', -5 - i), '2026-04-01 10:00:00.000');
    await node.api.post('/api/v1/events/ingest', { events: [paid(storeId, '2026-04-01T11:00:00Z', 900)] }).expect(200);
    await caughtUp(storeId);
    const first = (await admin.get(`/api/v1/stores/${storeId}/projections/dead-letters?limit=2`).expect(200)).body as ProjectionDeadLettersPage;
    expect([first.total, first.deadLetters.length, first.deadLetters.map((d) => d.reason)]).toEqual([3, 2, ['invalid_amount', 'invalid_amount']]);
    const second = (await admin.get(`/api/v1/stores/${storeId}/projections/dead-letters?limit=2&after=${first.nextCursor}`).expect(200))
      .body as ProjectionDeadLettersPage;
    expect([second.deadLetters.length, second.nextCursor]).toEqual([1, null]);
    expect(second.deadLetters[0]!.cloudSeq).toBeGreaterThan(first.deadLetters[1]!.cloudSeq);

    const stranger = await make.tenant();
    const strangerAdmin = anyone.as((await make.operatorWithToken(stranger)).token);
    expect((await strangerAdmin.get(`/api/v1/stores/${storeId}/projections/dead-letters`).expect(404)).body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await admin.get(`/api/v1/stores/${storeId}/projections/dead-letters?limit=0`).expect(400)).body.details.issues).toEqual([
      expect.objectContaining({ path: 'limit' }),
    ]);
  });
});
