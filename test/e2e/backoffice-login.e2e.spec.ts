import { BackofficeHarness, DEMO_PASSWORD, OPERATORS } from '../browser/backoffice-harness.js';

/**
 * The login page when the cloud throttles: the operator reads how long to wait, in words and
 * counting down, never the server's raw text or code; the button waits too; then signing in works.
 */
describe('backoffice: a throttled sign-in', () => {
  // Two free failures per email and source, then a 4 s lock: the wait is seen counting down.
  const h = new BackofficeHarness('bo-login', { LOGIN_MAX_FAILURES_PER_EMAIL_AND_SOURCE: '2', LOGIN_BACKOFF_BASE_MS: '4000', LOGIN_BACKOFF_MAX_MS: '4000' });

  beforeAll(() => h.start(), 90_000);
  afterAll(() => h.stop());

  it('should say how long to wait, count down, then let the operator in', async () => {
    const page = await h.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(OPERATORS.support);
    const submit = page.getByRole('button', { name: 'Sign in' });
    for (let i = 0; i < 3; i += 1) {
      await page.getByLabel('Password').fill(`not-the-password-${i}`);
      await submit.click();
      await page.getByText('Wrong email or password.').waitFor();
      await page.waitForFunction("!document.querySelector('button[type=submit]').disabled");
    }
    // Locked now: even the right password waits.
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await submit.click();
    const alert = page.getByRole('alert');
    await alert.getByText(/^Too many attempts\. Try again in [1-4] seconds?\.$/).waitFor();
    await h.screenshot(page, 'login-throttled');
    const first = Number(/in (\d+) second/.exec((await alert.textContent()) ?? '')?.[1]);
    expect(await alert.textContent()).not.toMatch(/RATE_LIMITED|too many login attempts/);
    expect(await submit.isDisabled()).toBe(true);
    // The page is evaluated in the browser: a string keeps DOM types out of this Node test.
    await page.waitForFunction(
      `(() => { const left = /in (\\d+) second/.exec(document.querySelector('[role=alert]')?.textContent ?? ''); return left !== null && ` +
        `Number(left[1]) < ${first}; })()`,
    );
    await page.getByRole('status').getByText('You can try again now.').waitFor({ timeout: 10_000 });
    expect(await submit.isDisabled()).toBe(false);
    await submit.click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'pos_trusted_browser')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth/login' });
  });
});
