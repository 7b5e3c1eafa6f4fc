/**
 * The bookings register in Chromium shows each client's CRM marks: первичный → повторный on the second completed
 * visit, VIP once loyalty's tier gives 10 %; the closed lock; a medical service booked without a contract in pale
 * red. The same client's data export carries loyalty's ledger.
 */
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';
import { makeSpa, nextMonday, type Spa } from '../../../test/helpers/spa.js';

let t: TestApp;
let s: Spa;
let studio: StudioBrowser;
let page: Page;
const day = nextMonday();
const at = (hhmm: string) => `${day}T${hhmm}:00.000Z`;

beforeAll(async () => {
  t = await startTestApp({ plugins: ['crm', 'loyalty'] });
  // The business's "today" is the test Monday, 08:00 in Moscow: its visits can be completed.
  t.clock.set(`${day}T05:00:00.000Z`);
  s = await makeSpa(t);
  expect((await s.api('PUT', '/api/v1/plugins/loyalty/enabled', { enabled: true })).status).toBe(200);
  // 5 % for everyone, 10 % (VIP, seed 003) from the third visit.
  const cfg = await s.api('PUT', '/api/v1/plugins/loyalty/config', { config: { accrualPercent: 5, tiers: [{ id: 'gold', name: 'Gold', percent: 10, by: 'visits', threshold: 3 }] } });
  expect(cfg.status, JSON.stringify(cfg.body)).toBe(200);
  studio = await openStudio(t, { viewport: { width: 1440, height: 900 } });
  page = studio.page;
  await studio.signIn(t.owner.email, t.owner.password);
  await page.locator('#business-select').selectOption({ value: s.tenant });
}, 120_000);
afterAll(async () => {
  await studio?.close();
  await t?.close();
});

async function book(start: string, client: { name: string; phone: string } | { id: string }, serviceId = s.serviceId) {
  const res = await s.api('POST', '/api/v1/bookings', { serviceId, start, client });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; client: { id: string } };
}
async function complete(id: string) {
  expect((await s.api('PATCH', `/api/v1/bookings/${id}`, { status: 'arrived' })).status).toBe(200);
  expect((await s.api('PATCH', `/api/v1/bookings/${id}`, { status: 'completed' })).status).toBe(200);
}
/** The register of the test day, and the marks cells of a client's rows. */
async function marksOf(clientName: string) {
  // Loaded afresh: the register asks for its rows when it opens.
  await page.goto(`${t.url}/studio/booking/bookings`);
  await page.getByRole('heading', { name: 'Bookings', level: 1 }).waitFor();
  await page.getByLabel('From', { exact: true }).fill(day);
  await page.getByLabel('To', { exact: true }).fill(day);
  return page.getByRole('row').filter({ hasText: clientName }).locator('.crm-marks');
}

describe('the register\'s CRM marks', () => {
  it('turns первичный into повторный on the second visit and VIP at a 10 % tier', async () => {
    const first = await book(at('07:00'), { name: 'Вера Регистр', phone: '+79160000201' });
    const clientId = first.client.id;
    const second = await book(at('09:00'), { id: clientId });
    const third = await book(at('12:00'), { id: clientId });
    const cells = await marksOf('Вера Регистр');
    await expect.poll(() => cells.count()).toBe(3);
    expect(await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-crm-status')))).toEqual(['first', 'first', 'first']);
    expect(await cells.first().innerText()).toBe('First visit');

    await complete(first.id);
    await complete(second.id);
    await expect.poll(async () => (await s.api('GET', `/api/v1/crm/marks?contactIds=${clientId}`)).body.items[0].status).toBe('repeat');
    await expect.poll(async () => (await marksOf('Вера Регистр')).first().innerText()).toBe('Repeat');

    await complete(third.id);
    await expect.poll(async () => (await s.api('GET', `/api/v1/crm/marks?contactIds=${clientId}`)).body.items[0].status).toBe('vip');
    await expect.poll(async () => (await marksOf('Вера Регистр')).evaluateAll((els) => els.map((e) => e.textContent))).toEqual(['VIP', 'VIP', 'VIP']);

    // Announced once each: the visit made it повторный, the tier (moved by the third visit's points) VIP.
    await expect.poll(async () => (await sql<{ payload: unknown }>`SELECT payload FROM outbox WHERE tenant_id = ${s.tenantId} AND type = 'crm.status-changed' ORDER BY id`.execute(t.app.db.db)).rows.map((r) => r.payload))
      .toEqual([{ contactId: clientId, from: 'first', to: 'repeat' }, { contactId: clientId, from: 'repeat', to: 'vip' }]);

    // Seed 004: the data export carries loyalty's ledger with the visits' points.
    const exported = (await s.api('GET', `/api/v1/crm/contacts/${clientId}/export`)).body;
    expect(exported.loyalty).toMatchObject({ tier: { id: 'gold', percent: 10 } });
    expect(exported.ledger.filter((e: { kind: string; ledger: string }) => e.ledger === 'points' && e.kind === 'accrual')).toHaveLength(3);
  });

  it('shows the closed lock, and a medical service without a contract in pale red', async () => {
    const locked = (await s.api('POST', '/api/v1/contacts', { name: 'Ирина Замок', phone: '+79160000202' })).body;
    expect((await s.api('PATCH', `/api/v1/crm/cards/${locked.id}`, { fixedResourceId: s.staff[1], locked: true, color: 'attention' })).status).toBe(200);
    const med = (await s.api('POST', '/api/v1/booking/services', { departmentId: s.departmentId, name: 'Пилинг врача', durationMin: 30, price: 2000, requiresContract: true })).body;
    await s.api('PUT', `/api/v1/booking/services/${med.id}/staff`, { items: [{ resourceId: s.staff[1] }] });
    await book(at('13:00'), { id: locked.id }, med.id);
    const withContract = (await s.api('POST', '/api/v1/contacts', { name: 'Олег Договор', phone: '+79160000203' })).body;
    expect((await s.api('PATCH', `/api/v1/crm/cards/${withContract.id}`, { contractNumber: 'М-7', contractDate: day })).status).toBe(200);
    await book(at('13:30'), { id: withContract.id }, med.id);

    const cell = await marksOf('Ирина Замок');
    await cell.waitFor();
    await cell.getByLabel('Closed: books only with this specialist').waitFor();
    expect(await cell.locator('.crm-color-attention').count()).toBe(1);
    expect(await cell.getAttribute('class')).toContain('crm-no-contract');
    // Pale red: the one row of the page without its contract.
    expect(await page.locator('.crm-no-contract').count()).toBe(1);
    expect(await page.evaluate('getComputedStyle(document.querySelector(".crm-no-contract")).backgroundColor')).toBe('rgb(253, 226, 226)');
    expect(await cell.innerText()).toContain('Contract needed');
    const signed = page.getByRole('row').filter({ hasText: 'Олег Договор' }).locator('.crm-marks');
    await signed.waitFor();
    expect(await signed.getAttribute('class')).not.toContain('crm-no-contract');
    expect(studio.errors).toEqual([]);
  });
});
