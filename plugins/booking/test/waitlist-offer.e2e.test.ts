/**
 * The desk offers a waiter a free time from the journal's waitlist panel, in Chromium with the Russian UI: the week's
 * free times of the entry's service, one chosen, offered — and the entry shows the offer.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

let t: TestApp;
let s: Salon;
let studio: StudioBrowser;
let page: Page;
let entryId: string;
const day = nextMonday();

describe('a waitlist offer from the journal', () => {
  beforeAll(async () => {
    t = await startTestApp({ plugins: ['booking'] });
    s = await makeSalon(t, { staffCount: 1 });
    const c = (await s.api('POST', '/api/v1/contacts', { name: 'Ждущая Клиентка', phone: '+79168880001' })).body;
    const w = await s.api('POST', '/api/v1/booking/waitlist', { clientId: c.id, serviceId: s.serviceId, day });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    entryId = w.body.id;
    studio = await openStudio(t, { viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
    page = studio.page;
    await studio.signInRu(t.owner.email, t.owner.password, s.tenant);
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    await t?.close();
  });

  it('picks one of the entry\'s free times and offers it', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Журнал' }).click();
    await page.getByLabel('Дата', { exact: true }).fill(day);
    await page.getByText('Лист ожидания (1)').click();
    const entry = page.locator('.journal-waitlist li').filter({ hasText: 'Ждущая Клиентка' });
    await entry.getByRole('button', { name: 'Предложить время' }).click();
    const offer = entry.locator('.waitlist-offer');
    // 10:00 in Moscow on the waiter's day: the first free time of the massage.
    await offer.getByRole('button', { name: '10:00', exact: true }).first().click();
    await offer.getByRole('button', { name: /^Предложить \d+ \S+ 10:00$/ }).click();
    await entry.getByText(/^предложено: /).waitFor();
    expect(await entry.getByRole('button', { name: 'Записать на предложенное время' }).count()).toBe(1);
    const offered = (await s.api('GET', '/api/v1/booking/waitlist?status=offered')).body.items;
    expect(offered).toEqual([expect.objectContaining({ id: entryId, offer: expect.objectContaining({ start: `${day}T07:00:00.000Z` }) })]);
    expect(studio.errors).toEqual([]);
  });
});
