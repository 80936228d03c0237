import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MenuStateResponse } from '@app/contracts';
import { HttpProxy, LOOP_ADMIN, LoopStack, makeMenuItem, waitFor } from '@app/testing';
import { launchChromium, openPage, signIn } from '../browser/browser.js';

/**
 * The backoffice on the whole product as processes (cloud serving the built UI, the store's edge and
 * its agent): a price edited in the browser reaches the edge, and a command dead-lettered while the
 * hub kept refusing it is retried from the UI and reaches ACKED. The agent reaches the hub through a
 * proxy the test can make refuse applies.
 */
describe('backoffice: the real loop, from the browser to the edge', () => {
  let stack: LoopStack;
  let edgeProxy: HttpProxy;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const edgeMenu = async () => (await stack.edgeAsDevice()).ok<MenuStateResponse>('GET', '/api/v1/menu');
  const edgeServes = (revision: number) =>
    waitFor(
      async () => {
        const menu = await edgeMenu();
        return menu.revision === revision ? menu : undefined;
      },
      { timeoutMs: 15_000, what: `the edge to serve menu revision ${revision}` },
    );

  beforeAll(async () => {
    stack = await LoopStack.start({
      label: 'bo-loop',
      storeCode: 'L001',
      cloudEnv: { COMMAND_MAX_ATTEMPTS: '2', COMMAND_ACK_TIMEOUT_SECONDS: '5' },
      agentEdgeUrl: async (edgeUrl) => (edgeProxy = await HttpProxy.start(edgeUrl)).url,
    });
    const first = await stack.publish('menu', {
      items: [
        makeMenuItem({ sku: 'BURGER-1', name: 'Cheeseburger', priceCents: 1150 }),
        makeMenuItem({ sku: 'FRIES-1', name: 'Fries', priceCents: 400, category: 'Sides' }),
      ],
    });
    await stack.waitForCommand(first.commandId, 'ACKED');
    browser = await launchChromium();
    ({ context, page } = await openPage(browser, stack.cloudUrl));
    await signIn(page, LOOP_ADMIN.email, LOOP_ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.close();
    await edgeProxy?.close();
  });

  it('should show the store online and in sync in the fleet', async () => {
    const row = page.getByRole('row', { name: /L001/ });
    await row.getByRole('cell', { name: 'online' }).waitFor();
    // status, last heartbeat, version, then applied/desired per domain: the menu is at r1 on both sides.
    await waitFor(async () => (await row.getByRole('cell').nth(4).textContent()) === '1/1', { timeoutMs: 15_000, what: 'the menu applied in the fleet view' });
    expect(await row.locator('td.drift').count()).toBe(0);
  });

  it('should publish a price edited in the browser, show the command reach ACKED, and the edge serve the new price', async () => {
    await page.getByRole('link', { name: /L001/ }).click();
    await page.getByRole('link', { name: 'Menu', exact: true }).click();
    await page.getByLabel('Price of BURGER-1').fill('12.75');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText(/Published revision 2/).waitFor();

    await page.getByRole('link', { name: 'Commands', exact: true }).last().click();
    await page.getByRole('row', { name: /MENU_UPSERT_BATCH.*r2.*ACKED/ }).waitFor({ timeout: 20_000 });
    const menu = await edgeServes(2);
    expect(menu.items.find((i) => i.sku === 'BURGER-1')?.priceCents).toBe(1275);
    expect(menu.items.find((i) => i.sku === 'FRIES-1')?.priceCents).toBe(400);
  });

  it('should retry from the UI a command dead-lettered while the hub refused it, and see it reach ACKED and the edge serve it', async () => {
    // The hub answers every apply with 502 (retryable): after COMMAND_MAX_ATTEMPTS the command is dead-lettered.
    edgeProxy.hooks.request = (req) => {
      if (req.path === '/api/v1/commands/apply') throw new Error('hub overloaded');
    };
    const { commandId, revision } = await stack.publish('menu', {
      items: [makeMenuItem({ sku: 'FRIES-1', name: 'Fries', priceCents: 450, category: 'Sides' })],
    });
    const dead = await stack.waitForCommand(commandId, 'DEAD_LETTER', 30_000);
    expect(dead.lastErrorCode).toBe('EDGE_UNAVAILABLE');
    expect((await edgeMenu()).revision).toBe(2);
    edgeProxy.hooks.request = undefined;

    await page.getByLabel('State').selectOption('DEAD_LETTER');
    await page.getByRole('button', { name: `Open command ${dead.seq} of L001` }).click();
    const drawer = page.getByRole('dialog', { name: `Command ${dead.seq} · L001` });
    const failures = drawer.getByRole('table', { name: 'Command log' }).getByRole('row', { name: /ACK_FAILED.*EDGE_UNAVAILABLE/ });
    await failures.first().waitFor();
    expect(await failures.count()).toBe(2);
    await drawer.getByLabel('Retry reason').fill('hub back to normal');
    await drawer.getByRole('button', { name: 'Retry command' }).click();
    await drawer.locator('.facts').getByText('ACKED').waitFor({ timeout: 20_000 });

    const menu = await edgeServes(revision);
    expect(menu.items.find((i) => i.sku === 'FRIES-1')?.priceCents).toBe(450);
    expect(menu.items.find((i) => i.sku === 'BURGER-1')?.priceCents).toBe(1275);
  });
});
