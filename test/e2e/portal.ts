import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { BookingHarness } from '../bookings/harness';
import { nextSignInCode, signInCodes, startWebPortal } from '../web/web-portal';

/** Debian's chromium, driven by playwright-core: nothing is downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export { TEMPORAL_UI_URL } from '../web/web-portal';

export interface Portal {
  harness: BookingHarness;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The real app (API and portal) on port 0 over the booking harness (worker, Temporal, PostgreSQL, SMTP), and a browser. */
export async function startPortal(label: string): Promise<Portal> {
  const portal = await startWebPortal(label);
  // Native date and time inputs follow the browser's language (Russian when chromium-l10n is installed).
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, env: { ...process.env, LANGUAGE: 'ru' } });
  return {
    harness: portal.harness,
    baseUrl: portal.baseUrl,
    browser,
    async close() {
      await browser.close();
      await portal.close();
    },
  };
}

/** Signs in through the pages: the e-mail step, then the code read from the in-process SMTP inbox. */
export async function signInWithBrowser(portal: Portal, page: Page, email: string): Promise<void> {
  // Counted by their subject: other e-mails (an operator's appointment) may reach the address meanwhile.
  const seen = signInCodes(portal.harness.inbox, email).length;
  await page.goto(`${portal.baseUrl}/signin`);
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByRole('button', { name: 'Получить код' }).click();
  await page.waitForURL(/\/signin\/code/);
  const code = await nextSignInCode(portal.harness.inbox, email, seen);
  await page.getByLabel('Код из письма').fill(code);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** axe-core on the page as it is now: the serious and critical violations (expected none). */
export async function seriousViolations(page: Page): Promise<{ page: string; id: string; impact: string; targets: string[] }[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ page: page.url(), id: violation.id, impact: violation.impact ?? '', targets: violation.nodes.map((node) => node.target.join(' ')) }));
}

/** Screenshots at desktop and phone width when SCREENSHOTS_DIR is set (npm run screenshots). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  for (const [suffix, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: path.join(dir, `${name}-${suffix}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

export async function newPage(portal: Portal, options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await portal.browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  return { context, page };
}
