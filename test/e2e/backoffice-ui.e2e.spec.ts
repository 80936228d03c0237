import type { Page } from 'playwright-core';
import {
  uuidv7,
  type CommandDetailView,
  type CommandListResponse,
  type DomainStateResponse,
  type FleetResponse,
  type MenuItem,
  type PublishRevisionResponse,
} from '@app/contracts';
import { BackofficeHarness } from '../browser/backoffice-harness.js';

/**
 * The backoffice in Chromium against the built cloud (serving the built UI) on the demo data:
 * signing in, the menu editor (field errors, publishing, a stale publish, several stores) and what
 * each role is offered.
 */
describe('backoffice: sign-in and the menu editor', () => {
  const h = new BackofficeHarness('bo-ui');

  beforeAll(() => h.start(), 90_000);
  afterAll(() => h.stop());

  const menuOf = async (storeId: string) =>
    (await (await h.tokenOf('admin')).ok<DomainStateResponse>('GET', `/stores/${storeId}/revisions/menu/latest`)) as DomainStateResponse & {
      state: { items: MenuItem[] };
    };
  const item = (menu: { state: { items: MenuItem[] } }, sku: string) => menu.state.items.find((i) => i.sku === sku);

  async function openMenu(page: Page, storeId = h.seed.storeId): Promise<void> {
    await page.goto(`/stores/${storeId}/menu`);
    await page.getByRole('table', { name: 'Menu items' }).waitFor();
  }

  it('should sign in, keep the session across a reload, and sign out', async () => {
    const page = await h.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'POS Fleet backoffice' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await h.screenshot(page, 'login');
    await h.signIn(page, 'admin');
    await page.getByRole('link', { name: /S001/ }).waitFor();
    expect(await page.getByText('admin@demo.local').isVisible()).toBe(true);
    // One store, said in the singular.
    await page.getByText(/^1 store · 0 online · 1 offline · refreshed/).waitFor();

    await page.reload();
    await page.getByRole('link', { name: /S001/ }).waitFor();
    expect(page.url()).toBe(`${h.baseUrl}/`);
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('should refuse a wrong password with a message and keep the operator on the login page', async () => {
    const page = await h.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill('admin@demo.local');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password.').waitFor();
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('must be an email address').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('should send a session the cloud no longer accepts back to the login page, then to the page asked for', async () => {
    const page = await h.newPage();
    await page.goto('/login');
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const session = {
      accessToken: 'not.a.token',
      expiresAt,
      operator: { id: 'x', email: 'ghost@demo.local', displayName: 'Ghost', role: 'ADMIN', tenantId: 't', tenantSlug: 'demo' },
    };
    await page.evaluate(`localStorage.setItem('pos-backoffice.session', ${JSON.stringify(JSON.stringify(session))})`);
    await page.goto('/audit');
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
    await page.getByLabel('Email').fill('admin@demo.local');
    await page.getByLabel('Password').fill('demo-admin-pw');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  });

  it('should say "Page not found" for an unknown page, store section, store or command, with a way back', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'viewer');
    const notFound = page.getByRole('heading', { name: 'Page not found' });
    for (const route of ['/no-such-page', '/stores', `/stores/${h.seed.storeId}/menu/extra`, '/commands/all']) {
      await page.goto(route);
      await notFound.waitFor();
      expect(new URL(page.url()).pathname).toBe(route);
      await page.getByText(`There is no page at ${route}.`).waitFor();
      expect(await page.getByRole('heading', { name: 'Fleet', exact: true }).count()).toBe(0);
    }
    await page.getByRole('link', { name: 'Back to the fleet' }).click();
    await page.getByRole('heading', { name: 'Fleet', exact: true }).waitFor();

    // A section the store page does not have: the way back is the store.
    await page.goto(`/stores/${h.seed.storeId}/reports`);
    await notFound.waitFor();
    await page.getByRole('link', { name: 'Back to the store' }).click();
    await page.getByRole('table', { name: 'Revisions per domain' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/stores/${h.seed.storeId}`);

    // A store the tenant does not have (a well-formed id), and an id that is none.
    const missing = uuidv7();
    for (const [route, id] of [
      [`/stores/${missing}/menu`, missing],
      ['/stores/not%20a%20store!/overview', 'not a store!'],
    ] as const) {
      await page.goto(route);
      await page.getByRole('heading', { name: 'Store not found' }).waitFor();
      await page.getByText(`There is no store ${id} in your fleet.`).waitFor();
      expect(await page.getByRole('table').count()).toBe(0);
    }
    await page.getByRole('link', { name: 'Back to the fleet' }).click();
    await page.getByRole('heading', { name: 'Fleet', exact: true }).waitFor();

    // A command that does not exist, by a well-formed id and by one that is none.
    for (const [route, list] of [
      [`/commands?command=${uuidv7()}`, '/commands'],
      [`/stores/${h.seed.storeId}/commands?command=nope`, `/stores/${h.seed.storeId}/commands`],
    ] as const) {
      await page.goto(route);
      const drawer = page.getByRole('dialog', { name: 'Command not found' });
      await drawer.getByText('There is no such command in your fleet.').waitFor();
      await drawer.getByRole('button', { name: 'Back to the commands' }).click();
      await drawer.waitFor({ state: 'detached' });
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(list);
      await page.getByRole('table', { name: 'Command list' }).waitFor();
    }
  });

  it('should show a bad price next to its field and publish nothing', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'menu');
    await openMenu(page);
    const price = page.getByLabel('Price of MAIN-BURGER');
    await price.fill('12.345');
    await page.getByLabel('Name of MAIN-FISH').fill('   ');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('2 rows have errors; fix the fields marked in red.').waitFor();
    expect(await price.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await price.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('must be a price like 12.50');
    expect(await page.getByLabel('Name of MAIN-FISH').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Search the menu').fill('Mains');
    await page.getByRole('row', { name: /STARTER-SOUP/ }).waitFor({ state: 'detached' });
    await h.screenshot(page, 'menu-editor-error');
    await page.getByLabel('Search the menu').fill('');

    await price.fill('-3');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('must not be negative').waitFor();
    expect((await menuOf(h.seed.storeId)).revision).toBe(1);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await price.inputValue()).toBe('14.50');
  });

  it('should publish an edited price as the next revision of the menu, as a command for the store', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'menu');
    await openMenu(page);
    await page.getByLabel('Price of MAIN-BURGER').fill('15.25');
    await page.getByLabel('DRINK-COLA available').uncheck();
    await page.getByText('2 changes · editing r1').waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText(/Published revision 2/).waitFor();
    await page.getByText('No changes · editing r2').waitFor();

    const menu = await menuOf(h.seed.storeId);
    expect(menu.revision).toBe(2);
    expect(item(menu, 'MAIN-BURGER')?.priceCents).toBe(1525);
    expect(item(menu, 'DRINK-COLA')?.available).toBe(false);
    expect(menu.state.items).toHaveLength(20);
    const admin = await h.tokenOf('admin');
    const { commands } = await admin.ok<CommandListResponse>('GET', `/stores/${h.seed.storeId}/commands`);
    const command = commands.find((c) => c.domain === 'menu' && c.revision === 2)!;
    expect(command).toMatchObject({ type: 'MENU_UPSERT_BATCH', status: 'PENDING', baseRevision: 1 });
    const detail = await admin.ok<CommandDetailView>('GET', `/commands/${command.commandId}`);
    expect((detail.payload.items as MenuItem[]).map((i) => i.sku).sort()).toEqual(['DRINK-COLA', 'MAIN-BURGER']);
  });

  it('should add and remove items', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'admin');
    await openMenu(page);
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.getByLabel('SKU of new item').fill('SIDE-ONION-RINGS');
    await page.getByLabel('Name of SIDE-ONION-RINGS').fill('Onion rings');
    await page.getByLabel('Price of SIDE-ONION-RINGS').fill('4.5');
    await page.getByLabel('Category of SIDE-ONION-RINGS').fill('Sides');
    await page.getByLabel('Station of SIDE-ONION-RINGS').selectOption('kitchen');
    await page.getByRole('button', { name: 'Remove SIDE-SALAD' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText(/Published revision 3/).waitFor();
    const menu = await menuOf(h.seed.storeId);
    expect(item(menu, 'SIDE-ONION-RINGS')).toEqual({
      sku: 'SIDE-ONION-RINGS',
      name: 'Onion rings',
      priceCents: 450,
      category: 'Sides',
      station: 'kitchen',
      available: true,
    });
    expect(item(menu, 'SIDE-SALAD')).toBeUndefined();
  });

  it('should say when someone else published first, and publish on top of theirs after a reload', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'menu');
    await openMenu(page);
    await page.getByText('No changes · editing r3').waitFor();
    // Meanwhile, another operator publishes revision 4.
    const admin = await h.tokenOf('admin');
    const theirs = await admin.ok<PublishRevisionResponse>('POST', `/stores/${h.seed.storeId}/revisions`, {
      domain: 'menu',
      payload: { items: [{ ...item(await menuOf(h.seed.storeId), 'DRINK-LEMONADE')!, priceCents: 399 }] },
      ifMatchRevision: 3,
    });
    expect(theirs.revision).toBe(4);

    await page.getByLabel('Price of MAIN-FISH').fill('16.95');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Someone else published the menu first').waitFor();
    await page.getByText(/it is now at revision 4/).waitFor();
    expect((await menuOf(h.seed.storeId)).revision).toBe(4);

    await page.getByRole('button', { name: 'Reload and re-apply my changes' }).click();
    await page.getByText('1 change · editing r4').waitFor();
    expect(await page.getByLabel('Price of MAIN-FISH').inputValue()).toBe('16.95');
    expect(await page.getByLabel('Price of DRINK-LEMONADE').inputValue()).toBe('3.99');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText(/Published revision 5/).waitFor();
    const menu = await menuOf(h.seed.storeId);
    expect([item(menu, 'MAIN-FISH')?.priceCents, item(menu, 'DRINK-LEMONADE')?.priceCents]).toEqual([1695, 399]);
  });

  it('should create a store and publish the same menu change to several stores at once', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'admin');
    await page.getByRole('button', { name: 'New store' }).click();
    await page.getByLabel('Code').fill('bad code!');
    await page.getByLabel('Name').fill('Harbour Side');
    await page.getByRole('button', { name: 'Create store' }).click();
    await page.getByText('must be letters, digits, _ or - (starting with a letter or digit)').waitFor();
    await page.getByLabel('Code').fill('S002');
    await page.getByRole('button', { name: 'Create store' }).click();
    await page.getByRole('link', { name: /S002/ }).waitFor();
    const fleet = await (await h.tokenOf('admin')).ok<FleetResponse>('GET', '/stores');
    const s002 = fleet.stores.find((s) => s.code === 'S002')!;

    await openMenu(page);
    await page.getByLabel('Price of DRINK-IPA-PINT').fill('6.45');
    await page.getByRole('button', { name: 'Publish to several stores…' }).click();
    await page.getByLabel('S002 Harbour Side').check();
    await page.getByRole('button', { name: 'Publish to 2 stores' }).click();
    await page.getByText(/Published to 2 stores: S001 revision 6 \(command .*\), S002 revision 1 \(command/).waitFor();
    expect(item(await menuOf(h.seed.storeId), 'DRINK-IPA-PINT')?.priceCents).toBe(645);
    const other = await menuOf(s002.id);
    expect(other.revision).toBe(1);
    expect(other.state.items).toEqual([expect.objectContaining({ sku: 'DRINK-IPA-PINT', priceCents: 645 })]);
  });

  it('should issue a bootstrap token a node registers with, a device token, and revoke the node', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'admin');
    await page.goto(`/stores/${h.seed.storeId}/overview`);
    await page.getByText('No node registered yet').waitFor();
    await page.getByLabel('Bootstrap token valid for (hours)').fill('500');
    await page.getByRole('button', { name: 'Issue bootstrap token' }).click();
    await page.getByText('must be between 1 minute and 168 hours').waitFor();
    await page.getByLabel('Bootstrap token valid for (hours)').fill('2');
    await page.getByRole('button', { name: 'Issue bootstrap token' }).click();
    const token = await page.getByRole('textbox', { name: 'Bootstrap token', exact: true }).inputValue();
    const registered = await h.http.call('POST', '/nodes/register', { bootstrapToken: token, hostname: 'edge-from-ui', softwareVersion: '2.0.0' });
    expect(registered.status).toBe(201);

    await page.getByLabel('Device id').fill('till 1');
    await page.getByRole('button', { name: 'Issue device token' }).click();
    await page.getByText('must be 1-64 letters, digits, or _ . : - (starting with a letter or digit)').waitFor();
    await page.getByLabel('Device id').fill('till-1');
    await page.getByRole('button', { name: 'Issue device token' }).click();
    expect((await page.getByRole('textbox', { name: 'Device token', exact: true }).inputValue()).split('.')).toHaveLength(3);

    await page.reload();
    await page.getByRole('table', { name: 'Nodes' }).getByText('edge-from-ui').waitFor();
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke node now' }).click();
    await page.getByText('is required').waitFor();
    await page.getByLabel('Reason for revoking').fill('box stolen');
    await page.getByRole('button', { name: 'Revoke node now' }).click();
    await page.getByText(/revoked .*: box stolen/).waitFor();
    const nodes = await (await h.tokenOf('admin')).ok<{ nodes: { hostname: string; status: string }[] }>('GET', `/stores/${h.seed.storeId}/nodes`);
    expect(nodes.nodes).toEqual([expect.objectContaining({ hostname: 'edge-from-ui', status: 'REVOKED' })]);
  });

  it('should offer a viewer neither publishing nor editing, nor store or node administration', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'viewer');
    expect(await page.getByRole('button', { name: 'New store' }).count()).toBe(0);
    await openMenu(page);
    await page.getByText('Read only: publishing the menu needs the admin or menu editor role.').waitFor();
    expect(await page.getByRole('button', { name: /Publish/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add item' }).count()).toBe(0);
    const table = page.getByRole('table', { name: 'Menu items' });
    for (const role of ['textbox', 'checkbox', 'combobox'] as const) expect(await table.getByRole(role).count()).toBe(0);
    expect(await page.getByRole('row', { name: /MAIN-BURGER/ }).textContent()).toContain('15.25');
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('table', { name: 'Revisions per domain' }).waitFor();
    expect(await page.getByRole('button', { name: /Issue/ }).count()).toBe(0);
  });

  it('should let a menu editor publish the menu but not the settings', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'menu');
    await page.goto(`/stores/${h.seed.storeId}/settings`);
    await page.getByRole('table', { name: 'Settings' }).waitFor();
    await page.getByText('Read only: publishing the settings needs the admin role.').waitFor();
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
  });

  it('should publish settings, users (PINs write-only) and roles as revisions of their domains', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'admin');
    const admin = await h.tokenOf('admin');
    const state = (domain: string) => admin.ok<DomainStateResponse>('GET', `/stores/${h.seed.storeId}/revisions/${domain}/latest`);

    await page.goto(`/stores/${h.seed.storeId}/settings`);
    // The store's currency: a value that names none is said under the field.
    await page.getByLabel('Value of store.currency').fill('pounds');
    await page.getByText('not an ISO 4217 currency code such as GBP: sales are shown without a currency').waitFor();
    await page.getByLabel('Value of store.currency').fill('GBP');
    await page.getByText('not an ISO 4217 currency code').waitFor({ state: 'detached' });
    await page.getByLabel('Value of tables.count').fill('thirty');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('must be a number').waitFor();
    await page.getByLabel('Value of tables.count').fill('30');
    await page.getByRole('button', { name: 'Remove kds.bumpAfterMinutes' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText(/Published revision 2/).waitFor();
    const settings = (await state('settings')).state.values as Record<string, unknown>;
    expect(settings['tables.count']).toBe(30);
    expect(settings).not.toHaveProperty('kds.bumpAfterMinutes');

    // The store's sections: a tab per registered domain, the menu first.
    expect(await page.getByRole('navigation', { name: 'Store sections' }).getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Menu',
      'Settings',
      'Users',
      'Roles',
      'Commands',
      'Sales',
      'Audit',
    ]);
    await page.getByRole('link', { name: 'Users' }).click();
    // Users are deactivated, never removed; a user added here can be dropped before publishing.
    await page.getByLabel('New PIN of u-sam').waitFor();
    expect(await page.getByRole('button', { name: 'Remove u-sam' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('button', { name: 'Remove new user' }).click();
    await page.getByLabel('User id of new user').waitFor({ state: 'detached' });
    await page.getByLabel('New PIN of u-sam').fill('12');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('must be 4 to 8 digits').waitFor();
    await page.getByLabel('Role ids of u-sam').fill('server, barista');
    await page.getByText('not a role of this store: barista').waitFor();
    await page.getByLabel('Role ids of u-sam').fill('server');
    await page.getByLabel('New PIN of u-sam').fill('5678');
    await page.getByLabel('u-kim active').uncheck();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText(/Published revision 2/).waitFor();
    expect(await page.getByLabel('New PIN of u-sam').inputValue()).toBe('');
    const users = (await state('users')).state.users as { userId: string; active: boolean; hasPin: boolean; pinHash?: string }[];
    expect(users.find((u) => u.userId === 'u-kim')).toMatchObject({ active: false, hasPin: true });
    expect(users.every((u) => u.pinHash === undefined)).toBe(true);

    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByLabel('Permissions of kitchen').fill('kds.tickets, kds.bump');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText(/Published revision 2/).waitFor();
    const roles = (await state('roles')).state.roles as { roleId: string; permissions: string[] }[];
    expect(roles.find((r) => r.roleId === 'kitchen')?.permissions).toEqual(['kds.tickets', 'kds.bump']);
  });
});
