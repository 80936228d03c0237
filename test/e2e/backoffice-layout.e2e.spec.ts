import type { Locator, Page } from 'playwright-core';
import { uuidv7, type CommandEnvelope, type FleetResponse, type MenuItem } from '@app/contracts';
import { makeEvent } from '@app/testing';
import { BackofficeHarness, DEMO_PASSWORD, poll, type Http } from '../browser/backoffice-harness.js';
import { signIn } from '../browser/browser.js';
import { isFocused, layoutFacts, scrollBehind, waitForFieldFocus } from '../browser/layout-probe.js';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1440, height: 900 };
/** A real operator's address is often this long, and it sits in the header. */
const LONG_EMAIL = 'operations.supervisor.north-west@harbourside-restaurant-group.example.com';
const MENU_SIZE = 200;

const DISHES = [
  'Slow-roasted Cornish lamb shoulder with rosemary, garlic and anchovy, crushed new potatoes',
  'Pan-fried fillet of line-caught sea bass, samphire, brown shrimp and lemon butter sauce',
  'Twelve-hour braised short rib of beef, horseradish mash, glazed heritage carrots and jus',
  'Wild mushroom, chestnut and truffle risotto with aged parmesan and crispy sage (vegetarian)',
  'Chargrilled free-range chicken thigh skewers, smoked paprika yoghurt, pickled red onion',
];
const CATEGORIES = ['Starters', 'Mains', 'Sides', 'Desserts', 'Seasonal specials (autumn and winter)'];

/** A real menu's worth of items with long names: SKUs MENU-001 to MENU-200. */
function longMenu(): MenuItem[] {
  return Array.from({ length: MENU_SIZE }, (_, i) => ({
    sku: `MENU-${String(i + 1).padStart(3, '0')}`,
    name: `${DISHES[i % DISHES.length]} ${i + 1}`.slice(0, 120),
    priceCents: 650 + ((i * 137) % 2_500),
    category: CATEGORIES[i % CATEGORIES.length]!,
    station: i % 4 === 3 ? 'bar' : 'kitchen',
    available: i % 9 !== 0,
  }));
}

/** Nothing overflows the header or the page; the tables named scroll sideways within their card. */
async function expectPhoneLayout(page: Page, wideTables: string[]): Promise<void> {
  const facts = await layoutFacts(page);
  expect(facts.viewport).toBe(PHONE.width);
  expect(facts.header.outside).toEqual([]);
  expect(facts.header.scrollWidth).toBeLessThanOrEqual(facts.header.clientWidth);
  expect(facts.document.scrollWidth).toBeLessThanOrEqual(facts.document.clientWidth);
  expect(facts.document.scrollXAfterTrying).toBe(0);
  expect(facts.tables.map((t) => t.name)).toEqual(expect.arrayContaining(wideTables));
  for (const table of facts.tables) {
    expect({ table: table.name, overflowX: table.overflowX, fits: table.right <= facts.viewport + 0.5 }).toEqual({
      table: table.name,
      overflowX: 'auto',
      fits: true,
    });
    if (wideTables.includes(table.name)) {
      expect({ table: table.name, wider: table.scrollWidth > table.clientWidth, scrolled: table.scrolledBy > 0 }).toEqual({
        table: table.name,
        wider: true,
        scrolled: true,
      });
    }
  }
}

/** The element's box is entirely in view: below the sticky header and above the sticky publish bar. */
async function expectClearOfStickyBars(page: Page, target: Locator): Promise<void> {
  await waitForFieldFocus(page);
  const box = (await target.boundingBox())!;
  const bar = (await page.locator('.publish').boundingBox())!;
  const header = (await page.locator('header.topbar').boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(box.height).toBeGreaterThan(0);
  expect({ top: box.y >= header.y + header.height - 0.5, bottom: box.y + box.height <= bar.y + 0.5, inView: box.y + box.height <= viewport.height }).toEqual({
    top: true,
    bottom: true,
    inView: true,
  });
}

describe('backoffice: a phone-sized window and a long menu', () => {
  const h = new BackofficeHarness('bo-layout');
  let node: Http;
  let deadCommand: CommandEnvelope;
  let storeId: string;

  beforeAll(async () => {
    await h.start();
    storeId = h.seed.storeId;
    await h.addOperator(LONG_EMAIL, 'ADMIN');
    const admin = await h.tokenOf('admin');
    for (const [code, name] of [
      ['HARBOURSIDE-QUAYSIDE-01', 'Harbourside Kitchen & Bar at the Old Customs House, Quayside, Newcastle upon Tyne'],
      ['STATION-ROAD-CONCOURSE', 'Station Road Concourse Food Hall — Platform 4 Kiosk and Seating Area (airside)'],
    ]) {
      await admin.ok('POST', '/stores', { code, name, timezone: 'Europe/London' });
    }
    await admin.ok('POST', `/stores/${storeId}/revisions`, { domain: 'menu', payload: { items: longMenu() }, ifMatchRevision: 1 });
    // The store's node takes the commands; the menu's are refused for good, with a long reason.
    node = await h.registerNode();
    for (const c of await poll(node)) {
      const fail = c.domain === 'menu';
      await node.ok(
        'POST',
        `/commands/${c.commandId}/ack`,
        fail
          ? {
              commandId: c.commandId,
              status: 'FAILED',
              errorCode: 'INVALID_PAYLOAD',
              errorDetail: `edge refused ${c.type}: items[17].station must be kitchen, bar or null; items[42].modifiers[3].priceCents must not be negative`,
              appliedAt: new Date().toISOString(),
            }
          : { commandId: c.commandId, status: 'ACKED', appliedRevision: c.revision, appliedAt: new Date().toISOString() },
      );
      if (fail) deadCommand = c;
    }
    await node.ok('POST', '/nodes/heartbeat', {
      softwareVersion: '1.4.2-rc.3+build.20261201',
      hostname: 'edge-harbourside-quayside-01.local',
      appliedRevisions: { settings: 1, menu: 0, users: 1, roles: 1 },
      outboxDepth: 1,
      hubSeq: 40,
      cloudCursor: 0,
      edgeReachable: true,
      lastCloudSyncAt: new Date().toISOString(),
    });
    const realm = { tenantId: h.seed.tenantId, storeId };
    const paid = (totalCents: number) =>
      makeEvent({
        ...realm,
        type: 'order.paid',
        aggregateId: `order-${uuidv7()}`,
        version: 3,
        actor: { deviceId: `till-${uuidv7()}` },
        payload: { totalCents, method: 'card' },
      });
    await node.ok('POST', '/events/ingest', { events: Array.from({ length: 30 }, (_, i) => paid(1_250 + i * 75)) });
  }, 120_000);
  afterAll(() => h.stop());

  async function phone(): Promise<Page> {
    const page = await h.newPage({ viewport: PHONE });
    await signIn(page, LONG_EMAIL, DEMO_PASSWORD);
    return page;
  }

  it('should fit the header and the page at 390 px on every main page, the tables scrolling within their cards', async () => {
    const page = await phone();
    await page.getByRole('table', { name: 'Stores' }).waitFor();
    await expectPhoneLayout(page, ['Stores']);
    await h.screenshot(page, 'fleet-390');

    await page.goto(`/stores/${storeId}/overview`);
    await page.getByRole('table', { name: 'Nodes' }).getByText('edge-harbourside-quayside-01.local').waitFor();
    await page.getByRole('table', { name: 'Revisions per domain' }).getByText('drift').waitFor();
    await expectPhoneLayout(page, ['Revisions per domain', 'Nodes']);

    await page.goto(`/stores/${storeId}/menu`);
    await page.getByRole('table', { name: 'Menu items' }).getByLabel('Name of MENU-200').waitFor();
    await expectPhoneLayout(page, ['Menu items']);

    await page.goto('/commands');
    await page.getByRole('table', { name: 'Command list' }).waitFor();
    await expectPhoneLayout(page, ['Command list']);
    await page.goto(`/commands?command=${deadCommand.commandId}`);
    await page.getByRole('dialog').getByRole('table', { name: 'Command log' }).getByText('INVALID_PAYLOAD').waitFor();
    // The list behind the drawer loads on its own request, which may answer after the drawer's.
    await page.getByRole('table', { name: 'Command list' }).waitFor();
    await expectPhoneLayout(page, ['Command list', 'Command log']);

    await page.goto(`/stores/${storeId}/sales`);
    await page.getByRole('table', { name: 'Events' }).waitFor();
    await page.getByText(/30 orders/).waitFor();
    await expectPhoneLayout(page, ['Events']);

    await page.goto('/audit');
    await page.getByRole('table', { name: 'Audit entries' }).waitFor();
    await expectPhoneLayout(page, ['Audit entries']);
  });

  it('should keep every row being edited clear of the sticky publish bar, on a laptop and on a phone', async () => {
    const fleet = await (await h.tokenOf('admin')).ok<FleetResponse>('GET', '/stores');
    expect(fleet.stores.find((s) => s.id === storeId)?.domains.menu.desiredRevision).toBe(2);
    for (const viewport of [LAPTOP, PHONE]) {
      const page = await h.newPage({ viewport });
      await signIn(page, LONG_EMAIL, DEMO_PASSWORD);
      await page.goto(`/stores/${storeId}/menu`);
      const last = page.getByLabel('Name of MENU-200');
      await last.waitFor();
      expect(await page.getByRole('table', { name: 'Menu items' }).getByRole('row').count()).toBe(1 + 20 + MENU_SIZE);

      // The last row of the long menu, reached from the top of the page.
      await last.focus();
      await expectClearOfStickyBars(page, page.getByRole('row', { name: /MENU-200/ }));
      await last.fill(`${DISHES[0]} (large)`.slice(0, 120));
      await page.getByText('1 change · editing r2').waitFor();

      // A row in the viewport but behind the publish bar, or behind the header, when it gets the focus.
      for (const [sku, bar] of [
        ['MENU-120', 'publish'],
        ['MENU-121', 'publish'],
        ['MENU-060', 'header'],
      ] as const) {
        const row = `tr[data-row-key="k:${sku}"]`;
        await scrollBehind(page, row, bar);
        await page.getByLabel(`Category of ${sku}`).focus();
        await expectClearOfStickyBars(page, page.locator(row));
      }
      // Tabbing on into a row behind the bar, as a keyboard user edits.
      await scrollBehind(page, 'tr[data-row-key="k:MENU-151"]', 'publish');
      await page.getByLabel('Price of MENU-150').focus();
      await expectClearOfStickyBars(page, page.getByRole('row', { name: /MENU-150/ }));
      await scrollBehind(page, 'tr[data-row-key="k:MENU-151"]', 'publish');
      for (let i = 0; i < 5; i += 1) await page.keyboard.press('Tab');
      expect(await isFocused(page, 'input[aria-label="Name of MENU-151"]')).toBe(true);
      await expectClearOfStickyBars(page, page.locator('tr:has(:focus)'));

      // Tabbing on from a row near the end.
      await page.getByLabel('Price of MENU-190').focus();
      for (let i = 0; i < 6; i += 1) await page.keyboard.press('Tab');
      await expectClearOfStickyBars(page, page.locator('tr:has(:focus)'));

      // A publish that fails makes the bar taller (its banner); the next row focused still shows.
      await page.getByLabel('Price of MENU-199').fill('abc');
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByText('1 row has errors; fix the fields marked in red.').waitFor();
      await page.getByLabel('Category of MENU-198').focus();
      await expectClearOfStickyBars(page, page.getByRole('row', { name: /MENU-198/ }));
      await page.getByLabel('Price of MENU-199').focus();
      await expectClearOfStickyBars(page, page.getByRole('row', { name: /MENU-199/ }));

      // A row added from the toolbar at the top goes to the end: it gets the focus, in view.
      await page.mouse.wheel(0, -100_000);
      await page.waitForFunction('window.scrollY === 0');
      await page.getByRole('button', { name: 'Add item' }).click();
      await page.getByLabel('SKU of new item').waitFor();
      expect(await isFocused(page, 'input[aria-label="SKU of new item"]')).toBe(true);
      await expectClearOfStickyBars(page, page.locator('tr:has(:focus)'));
      if (viewport === PHONE) await h.screenshot(page, 'menu-editor-390');
      await page.getByRole('button', { name: 'Discard changes' }).click();
    }
  });
});
