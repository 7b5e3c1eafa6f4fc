/**
 * The studio's contacts in a real browser (Debian's Chromium through playwright-core) against the real server:
 * find the demo client by a phone typed the way people type it, open the card, opt them in to offers, and
 * merge a duplicate into them — with no console errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { ensureStudioBuilt } from '../scripts/build.js';
import { launchChromium } from '../scripts/chromium.js';

let t: TestApp;
let token: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

describe('contacts in the studio (Chromium)', () => {
  beforeAll(async () => {
    await ensureStudioBuilt();
    t = await startTestApp();
    token = await t.login(t.owner.email, t.owner.password);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
    // The merge asks "Merge … into …?" with the browser's own confirm.
    page.on('dialog', (d) => void d.accept());
    page.setDefaultTimeout(15_000);
    await page.goto(`${t.url}/studio/`);
    await page.getByLabel('Language').selectOption('en');
    await page.getByLabel('Email').fill(t.owner.email);
    await page.getByLabel('Password').fill(t.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Bots & flows', level: 1 }).waitFor();
    consoleErrors.length = 0; // the signed-out start's 401 from /auth/me is expected
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('finds the demo client by "8 916 123-45-01" and opens the card', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Clients', exact: true }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByLabel('Search').fill('8 916 123-45-01');
    const rows = page.getByRole('table', { name: 'Clients' }).locator('tbody tr');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('Анна Ковалёва')]);
    expect(await rows.first().textContent()).toContain('+79161234501');
    await rows.first().getByRole('link', { name: 'Анна Ковалёва' }).click();
    await page.getByRole('heading', { name: 'Анна Ковалёва', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'How to reach' }).getByText('+79161234501').waitFor();
  });

  it('opts the client in to offers and keeps tags and notes', async () => {
    const form = page.getByRole('form', { name: 'Client details' });
    await form.getByLabel('Tags (comma-separated)').fill('vip, regular');
    await form.getByLabel('Notes').fill('Prefers the morning');
    await form.getByLabel('Agrees to receive offers and news').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('form', { name: 'Client details' }).getByText(/Agreed on .* \(staff\)/).waitFor();
    const found = await t.api('GET', `/api/v1/contacts?q=${encodeURIComponent('+79161234501')}`, { token, tenant: 'demo' });
    const card = await t.api('GET', `/api/v1/contacts/${found.body.items[0].id}`, { token, tenant: 'demo' });
    expect(card.body).toMatchObject({ tags: ['vip', 'regular'], notes: 'Prefers the morning', consent: { marketing: true, marketingSource: 'staff' } });
  });

  it('writes to the client from the card, and the message shows in their log', async () => {
    const messages = page.getByRole('region', { name: 'Messages' });
    await messages.getByLabel('Write to the client').fill('Your master is running 10 minutes late');
    await messages.getByRole('button', { name: 'Send' }).click();
    await messages.getByRole('table', { name: 'Messages' }).getByText('Your master is running 10 minutes late').waitFor();
    expect(await messages.getByLabel('Write to the client').inputValue()).toBe('');
    const found = await t.api('GET', `/api/v1/contacts?q=${encodeURIComponent('+79161234501')}`, { token, tenant: 'demo' });
    const log = await t.api('GET', `/api/v1/contacts/${found.body.items[0].id}/messages`, { token, tenant: 'demo' });
    expect(log.body.items[0]).toMatchObject({ direction: 'out', text: 'Your master is running 10 minutes late' });
  });

  it('merges a duplicate into the client', async () => {
    const dup = await t.api('POST', '/api/v1/contacts', { token, tenant: 'demo', body: { name: 'Анна К. (дубль)', email: 'anna.k@example.com' } });
    expect(dup.status).toBe(201);
    const merge = page.getByRole('region', { name: 'Merge a duplicate' });
    await merge.getByLabel('Find the duplicate').fill('дубль');
    await merge.locator('tbody tr', { hasText: 'Анна К. (дубль)' }).getByRole('button', { name: 'Merge into this client' }).click();
    await page.getByRole('region', { name: 'How to reach' }).getByText('anna.k@example.com').waitFor();
    expect((await t.api('GET', `/api/v1/contacts/${dup.body.id}`, { token, tenant: 'demo' })).body.name).toBe('Анна Ковалёва');
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
