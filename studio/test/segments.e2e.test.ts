/**
 * The segments editor in Chromium against the real server: build a rule with a condition and a nested group,
 * watch the live count follow each change (checked against the API's own count of the same rule), see who
 * matches, save it and find it in the list with its count.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { addContact } from '../../core/segments/test/fixtures.js';
import { ensureStudioBuilt } from '../scripts/build.js';
import { launchChromium } from '../scripts/chromium.js';

let t: TestApp;
let browser: Browser;
let page: Page;
let token: string;
const consoleErrors: string[] = [];
const TAG = `e2e-${crypto.randomBytes(3).toString('hex')}`;

const liveCount = () => page.getByTestId('live-count').textContent();
/** What the server counts for the rule, asked over the API, to compare the page with. */
async function apiCount(rule: unknown): Promise<number> {
  const res = await t.api('POST', '/api/v1/segments/preview', { token, tenant: 'demo', body: { rule } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.count;
}

describe('segments editor in Chromium', () => {
  beforeAll(async () => {
    await ensureStudioBuilt();
    t = await startTestApp();
    token = await t.login(t.owner.email, t.owner.password);
    await addContact(t.app.db.db, t.demoTenantId, { name: 'Segment Alice', locale: 'en', tags: [TAG], identities: [{ kind: 'email', value: 'alice@e2e.test' }] });
    await addContact(t.app.db.db, t.demoTenantId, { name: 'Segment Bogdan', locale: 'uk', tags: [TAG] });
    await addContact(t.app.db.db, t.demoTenantId, { name: 'Segment Carl', locale: 'en' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
    await page.addInitScript(() => localStorage.setItem('bookflow.locale', 'en'));
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('builds a rule and the count follows every change', async () => {
    await page.goto(`${t.url}/studio/`);
    await page.getByLabel('Email').fill(t.owner.email);
    await page.getByLabel('Password').fill(t.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Segments' }).click();
    consoleErrors.length = 0; // the 401 of asking who is signed in before signing in is expected
    await page.getByRole('heading', { name: 'Segments', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'New segment' }).click();

    const everyone = await apiCount({ all: [] });
    expect(everyone).toBeGreaterThanOrEqual(3);
    await expect.poll(liveCount).toBe(`Matching clients: ${everyone}`);

    await page.getByRole('button', { name: 'Add condition' }).click();
    await expect.poll(liveCount).toBe('Fill in every condition to see the count.');
    const first = page.getByTestId('segment-condition').nth(0);
    await first.getByLabel('Field').selectOption({ label: 'Tags' });
    await first.getByLabel('Value').selectOption(TAG);
    await expect.poll(liveCount).toBe('Matching clients: 2');

    await page.getByRole('button', { name: 'Add group' }).first().click();
    const group = page.getByTestId('segment-group').nth(1);
    await group.getByRole('button', { name: 'Add condition' }).click();
    const inner = group.getByTestId('segment-condition');
    await inner.getByLabel('Field').selectOption({ label: 'Language' });
    await inner.getByLabel('Value').selectOption('en');
    const rule = { all: [{ field: 'tags', op: 'contains', value: TAG }, { any: [{ field: 'locale', op: 'eq', value: 'en' }] }] };
    expect(await apiCount(rule)).toBe(1);
    await expect.poll(liveCount).toBe('Matching clients: 1');
    await expect.poll(() => page.getByTestId('segment-sample').textContent()).toContain('Segment Alice');

    await group.getByLabel('Clients matching').first().selectOption('none');
    await expect.poll(() => page.getByTestId('segment-sample').textContent()).toContain('Segment Bogdan');
    expect(await liveCount()).toBe('Matching clients: 1');
    expect(consoleErrors).toEqual([]);
  });

  it('saves the segment and lists it with its count', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Tagged, not English');
    await page.getByRole('button', { name: 'Save' }).click();
    // A new segment opens at its own address.
    await expect.poll(() => page.url()).toMatch(/\/studio\/segments\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Tagged, not English', level: 1 }).waitFor();
    const id = page.url().split('/').pop()!;
    await expect.poll(liveCount).toBe('Matching clients: 1');
    await page.getByLabel('Description').fill('for the spring offer');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    const saved = await t.api('GET', `/api/v1/segments/${id}`, { token, tenant: 'demo' });
    expect(saved.body.description).toBe('for the spring offer');
    expect(saved.body.rule).toEqual({ all: [{ field: 'tags', op: 'contains', value: TAG }, { not: { any: [{ field: 'locale', op: 'eq', value: 'en' }] } }] });
    await page.getByRole('link', { name: 'All segments' }).click();
    const row = page.getByRole('table', { name: 'Segments' }).locator('tr', { hasText: 'Tagged, not English' });
    await expect.poll(() => row.getByTestId(`segment-count-${id}`).textContent()).toBe('1');
    expect(consoleErrors).toEqual([]);
  });
});
