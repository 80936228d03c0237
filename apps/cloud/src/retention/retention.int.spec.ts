import { uuidv7, type EventBase } from '@app/contracts';
import { makeEvent, metricSample, waitFor } from '@app/testing';
import { CloudApi, ackOk, pollCommands, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { SqlPool } from '../database/sql-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import { JobQueues } from '../queues/job-queues.js';
import { RETENTION_SCHEDULER_ID } from './retention.processor.js';
import { RetentionService } from './retention.service.js';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

describe(RetentionService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let pool: SqlPool;
  let anyone: CloudApi;
  let retention: RetentionService;

  beforeAll(async () => {
    // Every second, in batches of 10: the job runs alongside the tests, as it would in production.
    cloud = await startCloudTestApp('retention', { RETENTION_INTERVAL_SECONDS: '1', RETENTION_BATCH_SIZE: '10', INGESTED_EVENT_RETENTION_DAYS: '30' });
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    pool = cloud.app.get(SqlPool);
    anyone = new CloudApi(cloud.server);
    retention = cloud.app.get(RetentionService);
  });

  afterAll(async () => {
    await cloud.close();
  });

  async function tenantWithStore() {
    const tenant = await make.tenant();
    const admin = anyone.as((await make.operatorWithToken(tenant)).token);
    const store = await make.store(tenant);
    return { tenant, admin, store };
  }

  /** Publishes a settings change and has the node apply it: an ACKED command with its log. */
  async function publishAndAck(admin: CloudApi, node: RegisteredNode, storeId: string, domain: 'settings' | 'roles', n: number): Promise<string> {
    const payload =
      domain === 'settings'
        ? { values: { 'receipt.footer': `Thank you for dining with us, table service until 23:00 (${n})` } }
        : { roles: [{ roleId: `role-${n}`, name: `Shift lead ${n}`, permissions: ['orders.void'] }] };
    const { body } = await admin.post(`/api/v1/stores/${storeId}/revisions`, { domain, payload }).expect(201);
    const command = (await pollCommands(node.api, 0)).find((c) => c.commandId === body.commandId);
    expect(command).toBeDefined();
    await node.api.post(`/api/v1/commands/${command!.commandId}/ack`, ackOk(command!)).expect(200);
    return body.commandId as string;
  }

  describe('applyAll', () => {
    it('should delete finished commands past the window with their logs, and keep open ones, recent ones and the latest of each domain', async () => {
      const { admin, store } = await tenantWithStore();
      const node = await registerNode(anyone, admin, store.id);
      const settings = [];
      // 22: more than two batches of 10.
      for (let n = 1; n <= 22; n += 1) settings.push(await publishAndAck(admin, node, store.id, 'settings', n));
      // Finished commands of another domain that stay recent.
      const recent = [await publishAndAck(admin, node, store.id, 'roles', 1), await publishAndAck(admin, node, store.id, 'roles', 2)];
      const menu = [];
      for (let n = 1; n <= 3; n += 1) {
        const item = {
          sku: `dish-${n}`,
          name: `Dish of the day ${n}: braised short rib with mash`,
          priceCents: 1_250,
          category: 'Mains',
          station: 'kitchen',
          available: true,
        };
        menu.push(
          (await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'menu', payload: { items: [item] } }).expect(201)).body.commandId as string,
        );
      }
      // A snapshot took over the first menu command (as reconciliation does); the next two wait.
      await pool.query("UPDATE SyncCommand SET status = 'SUPERSEDED', supersededById = ? WHERE id = ?", [menu[2], menu[0]]);
      await pool.query('UPDATE SyncCommand SET createdAt = ?, updatedAt = ? WHERE id IN (?)', [daysAgo(100), daysAgo(95), [...settings, ...menu]]);
      const gone = [...settings.slice(0, 21), menu[0]!];
      expect(await prisma.syncCommandLog.count({ where: { commandId: { in: gone } } })).toBeGreaterThanOrEqual(3 * 21 + 1);

      const report = await retention.applyAll();
      expect(report.complete).toBe(true);

      const left = await prisma.syncCommand.findMany({ where: { storeId: store.id }, orderBy: { seq: 'asc' }, select: { id: true, status: true } });
      // Gone: settings 1-21 (ACKED, old, not the latest) and the superseded menu command.
      expect(left.map((c) => c.id)).toEqual([settings[21], ...recent, menu[1], menu[2]]);
      expect(left.map((c) => c.status)).toEqual(['ACKED', 'ACKED', 'ACKED', 'PENDING', 'PENDING']);
      expect(await prisma.syncCommandLog.count({ where: { commandId: { in: gone } } })).toBe(0);
      expect(await prisma.syncCommandLog.count({ where: { commandId: settings[21] } })).toBeGreaterThanOrEqual(3);
      // The store still works: the next settings change builds on the kept latest revision.
      await publishAndAck(admin, node, store.id, 'settings', 23);
    });

    it('should delete audit entries past the window from the start of the trail only, in bounded batches', async () => {
      const { tenant, admin, store } = await tenantWithStore();
      for (let n = 1; n <= 25; n += 1)
        await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'settings', payload: { values: { 'tables.count': n } } }).expect(201);
      const trail = await prisma.auditLog.findMany({ where: { tenantId: tenant.id }, orderBy: { id: 'asc' }, select: { id: true } });
      expect(trail).toHaveLength(25);
      // Entries 1-22 are past 400 days, except the 15th (a replica whose clock ran behind wrote it).
      const old = trail.slice(0, 22).filter((_, i) => i !== 14);
      await pool.query('UPDATE AuditLog SET createdAt = ? WHERE id IN (?)', [daysAgo(401), old.map((e) => e.id)]);

      await retention.applyAll();

      const kept = await prisma.auditLog.findMany({ where: { tenantId: tenant.id }, orderBy: { id: 'asc' }, select: { id: true } });
      // 1-14 went (two batches of 10); from the 15th on the trail is whole, old entries after it included.
      expect(kept.map((e) => e.id)).toEqual(trail.slice(14).map((e) => e.id));
    });

    it('should delete ingested events past the window only once the sales projection has read them', async () => {
      const { tenant, admin, store } = await tenantWithStore();
      const node = await registerNode(anyone, admin, store.id);
      const realm = { tenantId: tenant.id, storeId: store.id };
      const events: EventBase[] = Array.from({ length: 30 }, (_, i) =>
        makeEvent({
          ...realm,
          type: 'order.paid',
          aggregateId: `order-${uuidv7()}`,
          version: 3,
          at: '2026-03-02T12:00:00Z',
          payload: { totalCents: 1_000 + i, method: 'card' },
        }),
      );
      await node.api.post('/api/v1/events/ingest', { events }).expect(200);
      const stored = await prisma.ingestedEvent.findMany({ where: { storeId: store.id }, orderBy: { cloudSeq: 'asc' }, select: { cloudSeq: true } });
      const cursor = async () => Number((await prisma.storeProjectionCursor.findUnique({ where: { storeId: store.id } }))?.lastCloudSeq ?? 0);
      await waitFor(async () => (await cursor()) === Number(stored.at(-1)!.cloudSeq), { what: 'the projection to read every event' });
      // A projection that has read only 20 of them, and all 30 received 40 days ago.
      await pool.query('UPDATE StoreProjectionCursor SET lastCloudSeq = ? WHERE storeId = ?', [stored[19]!.cloudSeq, store.id]);
      await pool.query('UPDATE IngestedEvent SET receivedAt = ? WHERE storeId = ?', [daysAgo(40), store.id]);
      // Another store's events are recent: inside the window, read or not.
      const other = await make.store(tenant);
      const otherNode = await registerNode(anyone, admin, other.id);
      await otherNode.api
        .post('/api/v1/events/ingest', { events: events.slice(0, 5).map((e) => ({ ...e, eventId: uuidv7(), storeId: other.id })) })
        .expect(200);

      await retention.applyAll();

      const kept = await prisma.ingestedEvent.findMany({ where: { storeId: store.id }, orderBy: { cloudSeq: 'asc' }, select: { cloudSeq: true } });
      expect(kept.map((e) => e.cloudSeq)).toEqual(stored.slice(20).map((e) => e.cloudSeq));
      expect(await prisma.ingestedEvent.count({ where: { storeId: other.id } })).toBe(5);
      // The sums stay as projected: deleting read events changes no total.
      const sales = await admin.get(`/api/v1/stores/${store.id}/sales?from=2026-03-02&to=2026-03-02`).expect(200);
      expect(sales.body.days).toEqual([{ day: '2026-03-02', orders: 30, salesCents: events.reduce((sum, _, i) => sum + 1_000 + i, 0) }]);
    });
  });

  describe('the schedule', () => {
    it('should run as one repeatable job for the whole cloud and count the rows it deleted by table', async () => {
      const queue = cloud.app.get(JobQueues).queue('retention');
      await waitFor(async () => (await queue.getJobSchedulers()).length >= 1, { what: 'the retention schedule' });
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.every])).toEqual([[RETENTION_SCHEDULER_ID, 1_000]]);

      const { tenant, admin, store } = await tenantWithStore();
      for (let n = 1; n <= 12; n += 1)
        await admin
          .post(`/api/v1/stores/${store.id}/revisions`, { domain: 'roles', payload: { roles: [{ roleId: `role-${n}`, name: `Role ${n}`, permissions: [] }] } })
          .expect(201);
      const scrape = async () =>
        metricSample((await anyone.get('/metrics').expect(200)).text, 'pos_cloud_retention_deleted_rows_total', { table: 'AuditLog' }) ?? 0;
      const before = await scrape();
      await pool.query('UPDATE AuditLog SET createdAt = ? WHERE tenantId = ?', [daysAgo(500), tenant.id]);

      // No call from here: the scheduled job alone deletes them.
      await waitFor(async () => (await prisma.auditLog.count({ where: { tenantId: tenant.id } })) === 0, {
        timeoutMs: 15_000,
        what: 'the scheduled job to delete the old audit',
      });
      expect(await scrape()).toBeGreaterThanOrEqual(before + 12);
      expect(await prisma.syncCommand.count({ where: { storeId: store.id } })).toBe(12);
    });
  });
});
