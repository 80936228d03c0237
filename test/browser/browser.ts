import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (ENVIRONMENT.md); `scripts/test.sh` installs it when missing. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags that keep a headless Chromium quiet and self-contained on these machines (ENVIRONMENT.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A headless Chromium driven by playwright-core. `launch` gives every browser a fresh, temporary
 * user-data-dir (removed on close), so no test sees another's cookies or storage.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: install it with \`apt-get install -y chromium\` (scripts/test.sh does)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface PageOptions {
  /** The window: a laptop's (1440 × 900) unless told, e.g. a phone's 390 × 844. */
  viewport?: { width: number; height: number };
  /** The operator's locale (navigator.language, Intl's default), e.g. `de-DE`; Chromium's own unless told. */
  locale?: string;
}

/** A fresh context (its own storage) on a laptop-sized window, with relative URLs against `baseUrl`. */
export async function openPage(browser: Browser, baseUrl: string, options: PageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    baseURL: baseUrl,
    ...(options.locale ? { locale: options.locale } : {}),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return { context, page };
}

/** Signs in through the login page and waits for the fleet. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Fleet', exact: true }).waitFor();
}
