import type { Page } from 'playwright-core';
import {
  uuidv7,
  type AuditListResponse,
  type CommandEnvelope,
  type CommandListResponse,
  type FleetResponse,
  type SalesResponse,
  type SyncDomain,
} from '@app/contracts';
import { makeEvent, waitFor } from '@app/testing';
import { BackofficeHarness, poll, type Http } from '../browser/backoffice-harness.js';

const ackOk = (c: CommandEnvelope) => ({ commandId: c.commandId, status: 'ACKED', appliedRevision: c.revision, appliedAt: new Date().toISOString() });
const ackFailed = (c: CommandEnvelope, errorCode: string, errorDetail: string) => ({
  commandId: c.commandId,
  status: 'FAILED',
  errorCode,
  errorDetail,
  appliedAt: new Date().toISOString(),
});

/**
 * Support at 2 a.m.: the store's node (driven here through the cloud's real node API) refuses a
 * command for good, it is dead-lettered; support finds it, reads its log, retries it from the UI
 * and watches it reach ACKED. A viewer is offered no retry.
 */
describe('backoffice: commands, retries, sales and audit', () => {
  const h = new BackofficeHarness('bo-cmd');
  let node: Http;
  let dead: CommandEnvelope;

  const commandsOf = async (status?: string) =>
    (await (await h.tokenOf('admin')).ok<CommandListResponse>('GET', `/stores/${h.seed.storeId}/commands${status ? `?status=${status}` : ''}`)).commands;

  /** The node's side of one round: takes what is delivered and acks it, failing (for good) the domains named. */
  async function nodeRound(fail: SyncDomain[] = []): Promise<CommandEnvelope[]> {
    const delivered = await poll(node);
    for (const c of delivered) {
      const ack = fail.includes(c.domain) ? ackFailed(c, 'INVALID_PAYLOAD', `edge refused ${c.type}: items[0].station must be kitchen, bar or null`) : ackOk(c);
      await node.ok('POST', `/commands/${c.commandId}/ack`, ack);
    }
    return delivered;
  }

  beforeAll(async () => {
    await h.start();
    node = await h.registerNode();
    const admin = await h.tokenOf('admin');
    for (const [code, name] of [
      ['S002', 'Harbour Side'],
      ['S003', 'Station Road'],
    ])
      await admin.ok('POST', '/stores', { code, name, timezone: 'Europe/London' });
    // The seeded revisions: menu refused for good (dead-lettered at once), the others applied.
    const first = await nodeRound(['menu']);
    expect(first.map((c) => c.domain).sort()).toEqual(['menu', 'roles', 'settings', 'users']);
    dead = first.find((c) => c.domain === 'menu')!;
    await node.ok('POST', '/nodes/heartbeat', {
      softwareVersion: '1.4.2',
      hostname: 'edge-test',
      appliedRevisions: { settings: 1, menu: 0, users: 1, roles: 1 },
      outboxDepth: 3,
      hubSeq: 40,
      cloudCursor: 0,
      edgeReachable: true,
      lastCloudSyncAt: new Date().toISOString(),
    });
    // A day of sales at the store.
    const realm = { tenantId: h.seed.tenantId, storeId: h.seed.storeId };
    const paid = (totalCents: number) =>
      makeEvent({ ...realm, type: 'order.paid', aggregateId: `order-${uuidv7()}`, version: 3, payload: { totalCents, method: 'card' } });
    await node.ok('POST', '/events/ingest', {
      events: [paid(2_450), paid(1_800), paid(3_125), makeEvent({ ...realm, type: 'order.created', aggregateId: `order-${uuidv7()}` })],
    });
  }, 90_000);
  afterAll(() => h.stop());

  async function openStoreCommands(page: Page, query = ''): Promise<void> {
    await page.goto(`/stores/${h.seed.storeId}/commands${query}`);
    await page.getByRole('table', { name: 'Command list' }).waitFor();
  }

  it('should show the dead-lettered command in the fleet and its log, and offer a viewer no retry', async () => {
    expect((await commandsOf('DEAD_LETTER')).map((c) => c.commandId)).toEqual([dead.commandId]);
    const page = await h.newPage();
    await h.signIn(page, 'viewer');
    const row = page.getByRole('row', { name: /S001/ });
    await row.getByRole('cell', { name: 'online' }).waitFor();
    // version, settings, menu (drift), users, roles, pending, dead-lettered, outbox
    expect((await row.getByRole('cell').allTextContents()).slice(2, 10)).toEqual(['1.4.2', '1/1', '0/1 (drift)', '1/1', '1/1', '0', '1', '3']);
    expect(await row.locator('td.drift').count()).toBe(1);
    await h.screenshot(page, 'fleet');
    const stores = page.getByRole('table', { name: 'Stores' }).getByRole('rowheader');
    expect(await stores.allTextContents()).toEqual(['S001 Main Street', 'S002 Harbour Side', 'S003 Station Road']);
    await page.getByLabel('Show').selectOption('offline');
    await waitFor(async () => (await stores.allTextContents()).join() === 'S002 Harbour Side,S003 Station Road', { what: 'the offline stores only' });
    await page.getByLabel('Show').selectOption('failing');
    await waitFor(async () => (await stores.allTextContents()).join() === 'S001 Main Street', { what: 'the failing store only' });
    await page.getByLabel('Show').selectOption('all');
    await page.getByLabel('Search').fill('harbour');
    await waitFor(async () => (await stores.allTextContents()).join() === 'S002 Harbour Side', { what: 'the search' });

    // From the fleet's dead-lettered count straight to the store's dead-lettered commands.
    await page.getByLabel('Search').fill('');
    await page.getByRole('link', { name: '1 dead-lettered command of S001' }).click();
    await page.getByRole('table', { name: 'Command list' }).waitFor();
    expect(await page.getByLabel('State').inputValue()).toBe('DEAD_LETTER');
    await page.getByRole('button', { name: 'Open command 2 of S001' }).click();
    const drawer = page.getByRole('dialog', { name: 'Command 2 · S001' });
    await drawer.getByRole('table', { name: 'Command log' }).getByText('INVALID_PAYLOAD').waitFor();
    await drawer.getByText('edge refused MENU_UPSERT_BATCH: items[0].station must be kitchen, bar or null').first().waitFor();
    expect(await drawer.getByText('DEAD_LETTER').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
  });

  it('should retry a dead-lettered command from the UI with a reason, and show it reach ACKED live', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'support');
    await openStoreCommands(page);
    await page.getByLabel('State').selectOption('DEAD_LETTER');
    await page.getByRole('button', { name: 'Open command 2 of S001' }).click();
    const drawer = page.getByRole('dialog', { name: 'Command 2 · S001' });
    await drawer.getByRole('table', { name: 'Command log' }).waitFor();
    await h.screenshot(page, 'commands-detail');
    await drawer.getByLabel('Retry reason').fill('edge fixed: station list updated');
    await drawer.getByRole('button', { name: 'Retry command' }).click();
    await drawer.getByText('MANUAL_RETRY').waitFor();
    // Operators by email, as in the audit log: who published it, and who retried it.
    const log = drawer.getByRole('table', { name: 'Command log' });
    expect(
      await log
        .getByRole('row', { name: /PUBLISHED/ })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe('admin@demo.local');
    expect(
      await log
        .getByRole('row', { name: /MANUAL_RETRY/ })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe('support@demo.local');
    expect(
      await log
        .getByRole('row', { name: /ACK_FAILED/ })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toMatch(/^node [0-9a-f]{8}…[0-9a-f]{4}$/);
    expect((await commandsOf()).find((c) => c.commandId === dead.commandId)?.status).toBe('PENDING');

    // The node picks it up again and applies it; the open drawer follows it to ACKED by itself.
    const again = await waitFor(async () => (await nodeRound()).find((c) => c.commandId === dead.commandId), { what: 'the retried command to be delivered' });
    expect(again.seq).toBe(dead.seq);
    await drawer.locator('.facts').getByText('ACKED').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByLabel('State').selectOption('ACKED');
    await page
      .getByRole('row', { name: /MENU_UPSERT_BATCH/ })
      .getByText('ACKED')
      .waitFor();

    const audit = await (await h.tokenOf('admin')).ok<AuditListResponse>('GET', `/audit?storeId=${h.seed.storeId}`);
    expect(audit.entries.find((e) => e.action === 'command.retried' && e.targetId === dead.commandId)).toMatchObject({
      actorLabel: 'support@demo.local',
      details: expect.objectContaining({ reason: 'edge fixed: station list updated' }),
    });
  });

  it('should retry several dead-lettered commands at once from the tenant-wide list', async () => {
    // Two domains: a dead-lettered command holds back the later ones of its own domain.
    const admin = await h.tokenOf('admin');
    await admin.ok('POST', `/stores/${h.seed.storeId}/revisions`, { domain: 'settings', payload: { values: { 'tax.defaultRatePercent': 21 } } });
    await admin.ok('POST', `/stores/${h.seed.storeId}/revisions`, {
      domain: 'roles',
      payload: { roles: [{ roleId: 'host', name: 'Host', permissions: ['tables.assign'] }] },
    });
    const refused = await nodeRound(['settings', 'roles']);
    expect(refused.map((c) => c.type).sort()).toEqual(['ROLE_PERMISSIONS_PATCH', 'SETTINGS_PATCH']);
    expect(await commandsOf('DEAD_LETTER')).toHaveLength(2);

    const page = await h.newPage();
    await h.signIn(page, 'support');
    await page.getByRole('link', { name: 'Commands', exact: true }).click();
    await page.getByLabel('Store').selectOption({ label: 'S001 Main Street' });
    await page.getByLabel('State').selectOption('DEAD_LETTER');
    await page.getByRole('checkbox', { name: 'Select all retryable commands' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select all retryable commands' }).check();
    await page.getByRole('button', { name: 'Retry selected (2)' }).click();
    await page.getByLabel('Reason').fill('tax table fixed on the edge');
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.getByText('No command in state DEAD_LETTER.').waitFor();
    await waitFor(async () => (await nodeRound()).length === 2, { what: 'the two retried commands to be delivered' });
    await page.getByLabel('State').selectOption('ACKED');
    await page.getByRole('row', { name: /SETTINGS_PATCH.*r2.*ACKED/ }).waitFor();
    await page.getByRole('row', { name: /ROLE_PERMISSIONS_PATCH.*r2.*ACKED/ }).waitFor();
    expect(await commandsOf('DEAD_LETTER')).toHaveLength(0);
  });

  it("should show the sales per day in the store's currency and the operator's locale, and the ingested events", async () => {
    await waitFor(async () => (await (await h.tokenOf('admin')).ok<SalesResponse>('GET', `/stores/${h.seed.storeId}/sales`)).days.some((d) => d.orders === 3), {
      what: 'the sales projection',
    });
    // The demo store's settings say GBP; the operator reads English (UK).
    const page = await h.newPage({ locale: 'en-GB' });
    await h.signIn(page, 'viewer');
    await page.goto(`/stores/${h.seed.storeId}/sales`);
    await page.getByText('3 orders · £73.75 sales · average ticket £24.58').waitFor();
    expect(await page.getByRole('table', { name: 'Sales per day' }).getByRole('cell', { name: '£73.75' }).count()).toBe(1);
    expect(await page.getByText('no currency set').count()).toBe(0);
    const events = page.getByRole('table', { name: 'Events' });
    await events.waitFor();
    expect(await events.getByText('order.paid').count()).toBe(3);
    expect(await events.getByText('order.created').count()).toBe(1);
    await h.screenshot(page, 'sales');

    // The same pounds for an operator reading German.
    const german = await h.newPage({ locale: 'de-DE' });
    await h.signIn(german, 'viewer');
    await german.goto(`/stores/${h.seed.storeId}/sales`);
    await german.getByText(/3 orders · 73,75\s£ sales · average ticket 24,58\s£/).waitFor();

    // A store whose settings name no currency says so, and shows the bare amounts.
    const fleet = await (await h.tokenOf('admin')).ok<FleetResponse>('GET', '/stores');
    await page.goto(`/stores/${fleet.stores.find((s) => s.code === 'S002')!.id}/sales`);
    await page.getByText('This store has no currency set, so amounts are shown without one.').waitFor();
    await page.getByText('0 orders · 0.00 sales · average ticket —').waitFor();
  });

  it('should say how many events the sales could not count, list them, and count the orders after them', async () => {
    const admin = await h.tokenOf('admin');
    const realm = { tenantId: h.seed.tenantId, storeId: h.seed.storeId };
    const before = (await admin.ok<SalesResponse>('GET', `/stores/${h.seed.storeId}/sales`)).days.reduce((n, d) => n + d.orders, 0);
    // Stored before ingest refused it: year 10000 in UTC, kept by the database as a zero date.
    const bad = makeEvent({
      ...realm,
      type: 'order.paid',
      aggregateId: `order-${uuidv7()}`,
      version: 3,
      at: '9999-12-31T23:59:59-14:00',
      payload: { totalCents: 9_900, method: 'card' },
    });
    await h.insertIngestedEventRaw(bad, '0000-00-00 00:00:00.000');
    await node.ok('POST', '/events/ingest', {
      events: [makeEvent({ ...realm, type: 'order.paid', aggregateId: `order-${uuidv7()}`, version: 3, payload: { totalCents: 1_000, method: 'cash' } })],
    });
    await waitFor(async () => (await admin.ok<SalesResponse>('GET', `/stores/${h.seed.storeId}/sales`)).days.reduce((n, d) => n + d.orders, 0) === before + 1, {
      what: 'the order after the bad row to be counted',
    });

    const page = await h.newPage({ locale: 'en-GB' });
    await h.signIn(page, 'viewer');
    await page.goto(`/stores/${h.seed.storeId}/sales`);
    const section = page.getByRole('region', { name: 'Events that could not be counted' });
    await section.getByText('1 event could not be counted').waitFor();
    await section.getByRole('button', { name: 'Show the list' }).click();
    const list = section.getByRole('table', { name: 'Uncounted events' });
    await list.getByText('invalid_time').waitFor();
    expect(await list.getByText('at 9999-12-31T23:59:59-14:00 was stored as 0000-00-00 00:00:00.000, which is no instant').count()).toBe(1);
    await h.screenshot(page, 'sales-uncounted');
    // A store with none says nothing of it.
    const fleet = await admin.ok<FleetResponse>('GET', '/stores');
    await page.goto(`/stores/${fleet.stores.find((s) => s.code === 'S002')!.id}/sales`);
    await page.getByText('0 orders · 0.00 sales · average ticket —').waitFor();
    expect(await page.getByText('could not be counted').count()).toBe(0);
  });

  it('should show the audit log of the tenant, filtered by store, with who did what', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'admin');
    await page.goto(`/stores/${h.seed.storeId}/overview`);
    await page.getByRole('table', { name: 'Nodes' }).getByText('edge-test').waitFor();
    await h.screenshot(page, 'store-overview');
    await page.getByRole('link', { name: 'Audit', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByLabel('Store').selectOption({ label: 'S001 Main Street' });
    const entries = page.getByRole('table', { name: 'Audit entries' });
    await entries.getByText('command.retried').first().waitFor();
    expect(await entries.getByText('command.dead_lettered').count()).toBe(3);
    await page.getByLabel('Search').fill('tax table fixed');
    await waitFor(async () => (await entries.getByRole('row').count()) === 3, { what: 'the search to leave the two bulk retries' });
    await page.getByLabel('Search').fill('');
    await h.screenshot(page, 'audit');
  });
});
