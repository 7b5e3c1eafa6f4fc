import type { Browser, Locator, Page } from 'playwright-core';
import { ensureStudioBuilt } from '../../studio/scripts/build.js';
import { launchChromium } from '../../studio/scripts/chromium.js';
import type { TestApp } from './app.js';
import { until } from './wait.js';

export interface StudioBrowser {
  browser: Browser;
  page: Page;
  /** console errors, uncaught exceptions and 5xx answers seen so far */
  errors: string[];
  /** signs in through the studio's own form (English), landing on the member's start page */
  signIn(email: string, password: string): Promise<void>;
  /** the same through the Russian form, then the business `tenant` (slug) picked in the header when given */
  signInRu(email: string, password: string, tenant?: string): Promise<void>;
  close(): Promise<void>;
}

/** The built studio of a running test app in Debian's Chromium (playwright-core), English UI, 15 s waits; `page` sets the browser's own locale, zone or screen. */
export async function openStudio(t: TestApp, page_: { locale?: string; timezoneId?: string; viewport?: { width: number; height: number } } = {}): Promise<StudioBrowser> {
  await ensureStudioBuilt();
  const browser = await launchChromium();
  const errors: string[] = [];
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US', ...page_ });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location().url;
    // Signed out, the studio's first question (GET /auth/me) is answered 401, which the browser logs, at any moment.
    if (url.endsWith('/api/v1/auth/me') && m.text().includes('status of 401')) return;
    // With the address: "Failed to load resource" alone does not say which.
    errors.push(url ? `${m.text()} (${url})` : m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => { if (r.status() >= 500) errors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
  page.setDefaultTimeout(15_000);
  const signIn = async (email: string, password: string, form: { lang: string; email: string; password: string; submit: string }) => {
    const before = errors.length;
    await page.goto(`${t.url}/studio/`);
    await page.locator('#login-lang').selectOption(form.lang);
    await page.getByLabel(form.email).fill(email);
    await page.getByLabel(form.password).fill(password);
    await page.getByRole('button', { name: form.submit }).click();
    await page.getByRole('navigation').waitFor();
    // A wrong password's 401 before this one, if the test tried one.
    errors.splice(before, errors.length - before, ...errors.slice(before).filter((e) => !e.includes('status of 401')));
  };
  return {
    browser, page, errors,
    signIn: (email, password) => signIn(email, password, { lang: 'en', email: 'Email', password: 'Password', submit: 'Sign in' }),
    async signInRu(email, password, tenant) {
      await signIn(email, password, { lang: 'ru', email: 'Эл. почта', password: 'Пароль', submit: 'Войти' });
      if (tenant) await page.locator('#business-select').selectOption({ value: tenant });
    },
    close: () => browser.close(),
  };
}

/**
 * Clicks a journal cell. The journal renders again as its bookings arrive, so a cell may be replaced while it is
 * found: it is looked up again until it holds still.
 */
export async function clickStillCell(page: Page, cell: Locator): Promise<void> {
  const box = await until('a still cell', async () => {
    try {
      await cell.scrollIntoViewIfNeeded({ timeout: 1000 });
      return await cell.boundingBox();
    } catch { return null; }
  });
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}
