import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { MenuItem } from '@app/contracts';
import { CloudApi } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { SqlPool } from '../database/sql-pool.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { RevisionsRepository } from './revisions.repository.js';

const PUBLISHES = 500;
const INTERVAL = 50;
const CATEGORIES = ['Burgers and sandwiches', 'Salads and bowls', 'Hot drinks', 'Cold drinks and smoothies', 'Desserts and pastries', 'Sides to share'];

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function menuItem(next: () => number, n: number): MenuItem {
  const category = CATEGORIES[Math.floor(next() * CATEGORIES.length)]!;
  return {
    sku: randomUUID(),
    name: `${category.split(' ')[0]} number ${n}: slow-roasted, hand-finished, with seasonal garnish and house dressing`.slice(0, 120),
    priceCents: 250 + Math.floor(next() * 2_500),
    category,
    station: next() < 0.7 ? 'kitchen' : next() < 0.5 ? 'bar' : null,
    available: true,
    ...(next() < 0.3
      ? {
          modifiers: [
            { name: 'Extra cheese', priceCents: 90 },
            { name: 'Gluten-free bun instead of brioche', priceCents: 150 },
          ],
        }
      : {}),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe(RevisionsRepository.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let pool: SqlPool;
  let revisions: RevisionsRepository;
  let tenant: TenantRow;
  let scope: TenantScope;
  let admin: CloudApi;

  beforeAll(async () => {
    cloud = await startCloudTestApp('revision-history', { REVISION_CHECKPOINT_INTERVAL: String(INTERVAL) });
    make = new CloudFactories(cloud.app);
    pool = cloud.app.get(SqlPool);
    revisions = cloud.app.get(RevisionsRepository);
    tenant = await make.tenant();
    scope = tenantScope(tenant.id);
    admin = new CloudApi(cloud.server).as((await make.operatorWithToken(tenant)).token);
  });

  afterAll(async () => {
    await cloud.close();
  });

  const bytes = async (storeId: string, db = pool) => {
    const [rows] = await db.query<(RowDataPacket & { state: number; payload: number; kept: number })[]>(
      'SELECT COALESCE(SUM(LENGTH(state)), 0) AS state, SUM(LENGTH(payload)) AS payload, COUNT(state) AS kept FROM SyncRevision WHERE storeId = ?',
      [storeId],
    );
    return { state: Number(rows[0]!.state), payload: Number(rows[0]!.payload), kept: Number(rows[0]!.kept) };
  };
  const keptRevisions = async (storeId: string, domain: string) => {
    const [rows] = await pool.query<(RowDataPacket & { revision: number })[]>(
      'SELECT revision FROM SyncRevision WHERE storeId = ? AND domain = ? AND state IS NOT NULL ORDER BY revision',
      [storeId, domain],
    );
    return rows.map((r) => r.revision);
  };

  /**
   * A menu's life: 200 dishes, then every day a few prices, a new dish now and then, one taken off,
   * a few made unavailable. Seeded, so two runs publish the very same history.
   */
  async function publishHistory(api: CloudApi, storeId: string, count: number, db = pool) {
    const next = random(13);
    const menu = new Map<string, MenuItem>();
    const expected: Record<string, unknown>[] = [{ items: [] }];
    const latencies: number[] = [];
    let half = { state: 0, payload: 0, kept: 0 };
    let counter = 0;
    for (let revision = 1; revision <= count; revision += 1) {
      let payload: { items: MenuItem[]; removeSkus?: string[] };
      if (revision === 1) {
        payload = { items: Array.from({ length: 200 }, () => menuItem(next, (counter += 1))) };
      } else {
        const skus = [...menu.keys()];
        const changed = Array.from({ length: 3 }, () => ({
          ...menu.get(skus[Math.floor(next() * skus.length)]!)!,
          priceCents: 250 + Math.floor(next() * 2_500),
        }));
        const added = revision % 4 === 0 ? [menuItem(next, (counter += 1)), menuItem(next, (counter += 1))] : [];
        const unavailable = revision % 25 === 0 ? skus.slice(0, 5).map((sku) => ({ ...menu.get(sku)!, available: !menu.get(sku)!.available })) : [];
        const byItem = new Map([...changed, ...unavailable, ...added].map((item) => [item.sku, item]));
        const removeSkus = revision % 10 === 0 ? skus.filter((sku) => !byItem.has(sku)).slice(-1) : [];
        payload = { items: [...byItem.values()], ...(removeSkus.length > 0 ? { removeSkus } : {}) };
      }
      for (const sku of payload.removeSkus ?? []) menu.delete(sku);
      for (const item of payload.items) menu.set(item.sku, item);
      expected.push({ items: [...menu.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)) });

      const started = performance.now();
      const res = await api.post(`/api/v1/stores/${storeId}/revisions`, { domain: 'menu', ifMatchRevision: revision - 1, payload });
      latencies.push(performance.now() - started);
      expect(res.status).toBe(201);
      if (revision === count / 2) half = await bytes(storeId, db);
    }
    return { expected, latencies, half, full: await bytes(storeId, db), items: menu.size };
  }

  describe('stateAt', () => {
    it(
      'should rebuild every state of a 500-publish menu history exactly, with whole states only on checkpoints and the latest, so storage ' +
        'grows by the patches',
      async () => {
        const store = await make.store(tenant);
        const { expected, half, full, items } = await publishHistory(admin, store.id, PUBLISHES);

        // Whole states: the checkpoints (50, 100, ... 500, which is also the latest) and nothing else.
        expect(await keptRevisions(store.id, 'menu')).toEqual(Array.from({ length: PUBLISHES / INTERVAL }, (_, i) => (i + 1) * INTERVAL));
        for (let revision = 1; revision <= PUBLISHES; revision += 1) {
          expect(await revisions.stateAt(scope, store.id, 'menu', revision)).toEqual(expected[revision]);
        }
        expect(await revisions.stateAt(scope, store.id, 'menu', PUBLISHES + 1)).toBeNull();

        // What every row holding its whole state (the layout before checkpoints) would have stored.
        const stateSizes = expected.slice(1).map((s) => Buffer.byteLength(JSON.stringify(s)));
        const fullStates = stateSizes.reduce((a, b) => a + b, 0);
        expect(full.state).toBeLessThanOrEqual((PUBLISHES / INTERVAL) * Math.max(...stateSizes));
        expect(full.state).toBeLessThan(fullStates / (INTERVAL / 2));
        // Linear: the second half of the history costs about what the first did (its checkpoints
        // are a little larger because the menu grew), not the whole states of every revision.
        const firstHalf = half.state + half.payload;
        const secondHalf = full.state + full.payload - firstHalf;
        expect(secondHalf).toBeLessThan(firstHalf * 1.5);
        process.stdout.write(
          `revision history of ${PUBLISHES} menu publishes (200 to ${items} items): state column ${full.state} B in ${full.kept} rows ` +
            `(every row whole: ${fullStates} B), payload column ${full.payload} B; first half ${firstHalf} B, second half ${secondHalf} B\n`,
        );
      },
      300_000,
    );

    it('should keep a history written before checkpoints as it is, and apply the scheme from the next publish on', async () => {
      const store = await make.store(tenant);
      const states: Record<string, unknown>[] = [];
      for (let i = 1; i <= 12; i += 1) {
        await admin
          .post(`/api/v1/stores/${store.id}/revisions`, {
            domain: 'settings',
            payload: { values: { 'receipt.footer': `Thank you for visiting, see you soon (${i})`, [`tables.zone${i % 4}`]: i } },
          })
          .expect(201);
        states.push((await revisions.stateAt(scope, store.id, 'settings', i))!);
      }
      // Rows as the migration found them: every revision with its whole state.
      for (const [i, state] of states.entries()) {
        await pool.query('UPDATE SyncRevision SET state = ? WHERE storeId = ? AND domain = ? AND revision = ?', [
          JSON.stringify(state),
          store.id,
          'settings',
          i + 1,
        ]);
      }
      for (let i = 13; i <= 15; i += 1) {
        await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'settings', payload: { values: { [`tables.zone${i % 4}`]: i * 10 } } }).expect(201);
        states.push((await revisions.stateAt(scope, store.id, 'settings', i))!);
      }
      // The old rows stay whole (each is its own checkpoint); 12 to 14 lost theirs to the next publish.
      expect(await keptRevisions(store.id, 'settings')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15]);
      for (let i = 1; i <= 15; i += 1) expect(await revisions.stateAt(scope, store.id, 'settings', i)).toEqual(states[i - 1]);
      expect(states[13]).toEqual({
        values: expect.objectContaining({ 'tables.zone2': 140, 'tables.zone1': 130, 'receipt.footer': 'Thank you for visiting, see you soon (12)' }),
      });
    });

    it('should answer the latest state, which publish builds on and reconciliation sends, from its own row', async () => {
      const store = await make.store(tenant);
      for (let i = 1; i <= 3; i += 1)
        await admin
          .post(`/api/v1/stores/${store.id}/revisions`, {
            domain: 'roles',
            payload: { roles: [{ roleId: `role-${i}`, name: `Shift lead ${i}`, permissions: ['orders.void'] }] },
          })
          .expect(201);
      expect(await keptRevisions(store.id, 'roles')).toEqual([3]);
      const latest = await admin.get(`/api/v1/stores/${store.id}/revisions/roles/latest`).expect(200);
      expect(latest.body).toMatchObject({
        revision: 3,
        state: { roles: [1, 2, 3].map((i) => ({ roleId: `role-${i}`, name: `Shift lead ${i}`, permissions: ['orders.void'] })) },
      });
    });
  });

  describe('publish', () => {
    it('should publish as fast with a long history as when every revision kept its whole state', async () => {
      const count = 300;
      // The layout before checkpoints: the same cloud on the same database and keys (passport's
      // strategies are process-wide), keeping every revision's whole state.
      const before = await startCloudTestApp('revision-history-whole', {
        REVISION_CHECKPOINT_INTERVAL: '1',
        DATABASE_URL: cloud.db.url,
        DEV_KEYS_FILE: path.join(cloud.tmp.path, 'keys.json'),
      });
      try {
        const wholeApi = new CloudApi(before.server).as((await make.operatorWithToken(tenant)).token);
        const wholeStore = await make.store(tenant);
        const store = await make.store(tenant);
        // At the same time, so both clouds see the same machine load.
        const whole = publishHistory(wholeApi, wholeStore.id, count);
        const checkpointed = await publishHistory(admin, store.id, count);
        const baseline = await whole;
        const last = (r: { latencies: number[] }) => median(r.latencies.slice(-100));
        process.stdout.write(
          `publish of a ${checkpointed.items}-item menu after ${count - 100} revisions, median of the last 100: ` +
            `${last(checkpointed).toFixed(1)} ms with checkpoints every ${INTERVAL}, ` +
            `${last(baseline).toFixed(1)} ms with every state whole; state column ${checkpointed.full.state} B against ${baseline.full.state} B\n`,
        );
        expect(baseline.full.kept).toBe(count);
        expect(checkpointed.full.state * 10).toBeLessThan(baseline.full.state);
        expect(last(checkpointed)).toBeLessThan(last(baseline) * 1.5 + 5);
      } finally {
        await before.close();
      }
    }, 300_000);
  });
});
