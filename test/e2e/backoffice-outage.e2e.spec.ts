import { TcpProxy } from '@app/testing';
import { BackofficeHarness } from '../browser/backoffice-harness.js';

const BANNER = 'The service is temporarily unavailable, retrying…';

/**
 * A database outage under a signed-in operator, for real: the cloud reaches MariaDB through a TCP
 * proxy the test cuts. The cloud answers 503 DATABASE_UNAVAILABLE (never 401), the backoffice keeps
 * the session and says the service is unavailable, and everything comes back by itself.
 */
describe('backoffice: the cloud loses its database', () => {
  let proxy: TcpProxy;
  const h = new BackofficeHarness('bo-outage', {}, async (url) => {
    const front = await TcpProxy.inFrontOf(url);
    proxy = front.proxy;
    return front.url;
  });

  beforeAll(() => h.start(), 90_000);
  afterAll(async () => {
    await proxy?.restore();
    await h.stop();
    await proxy?.close();
  });

  it('should keep the operator signed in with a banner while the database is gone, and recover on its own', async () => {
    const page = await h.newPage();
    await h.signIn(page, 'admin');
    await page.getByRole('link', { name: /S001/ }).waitFor();
    const answers: number[] = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname.startsWith('/api/v1/')) answers.push(res.status());
    });

    await proxy.cut();
    // The fleet refreshes every 5 s; its next call answers 503 and the banner comes up.
    const banner = page.getByRole('status').filter({ hasText: BANNER });
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toContain('DATABASE_UNAVAILABLE');
    await h.screenshot(page, 'outage-banner');

    // Still signed in: on the page, with the session, through a navigation that fails too.
    await page.getByRole('link', { name: 'Commands', exact: true }).click();
    await page.waitForURL('**/commands');
    await page.getByRole('alert').filter({ hasText: 'DATABASE_UNAVAILABLE' }).first().waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/commands');
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    expect(await page.evaluate("window.localStorage.getItem('pos-backoffice.session') !== null")).toBe(true);
    expect(await banner.isVisible()).toBe(true);
    expect(answers.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(answers.filter((s) => s === 401 || s === 500)).toEqual([]);

    await proxy.restore();
    // The banner's own check (every Retry-After) sees the cloud back; the page reloads what failed.
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByRole('heading', { name: 'Commands', exact: true }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'DATABASE_UNAVAILABLE' }).waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByRole('link', { name: /S001/ }).waitFor();
    expect(answers.filter((s) => s === 401 || s === 500)).toEqual([]);
  });
});
