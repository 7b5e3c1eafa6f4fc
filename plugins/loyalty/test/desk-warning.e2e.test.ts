/**
 * The desk's warning in Chromium (Russian UI): a client blocked after two no-shows is chosen in the journal's new
 * booking dialog, the dialog says until when the block runs, and the desk books them anyway.
 */
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from '../../../test/helpers/salon.js';
import { clickStillCell, openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';
import { until as waitFor } from '../../../test/helpers/wait.js';

let t: TestApp;
let s: Salon;
let studio: StudioBrowser;
let page: Page;
const day = nextMonday();
/** `hh`:00 in Moscow (UTC+3 all year) on the test day. */
const at = (hh: number) => DateTime.fromISO(`${day}T00:00`, { zone: 'Europe/Moscow' }).set({ hour: hh }).toUTC().toISO()!;
let until = '';

describe('the desk books a blocked client with a warning', () => {
  beforeAll(async () => {
    t = await startTestApp({ plugins: ['loyalty'] });
    s = await makeSalon(t, { staffCount: 1 });
    expect((await s.api('PUT', '/api/v1/plugins/loyalty/enabled', { enabled: true })).status).toBe(200);
    let client: Record<string, unknown> = { name: 'Борис Пропущенный', phone: '+79160001111' };
    for (const hh of [10, 12]) {
      const b = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(hh), client });
      expect(b.status, JSON.stringify(b.body)).toBe(201);
      client = { id: b.body.client.id };
      expect((await s.api('PATCH', `/api/v1/bookings/${b.body.id}`, { status: 'no_show' })).status).toBe(200);
    }
    // The block follows the second no-show's event: wait for its handler.
    const blockedUntil: string = await waitFor('the block', async () => (await s.api('GET', `/api/v1/loyalty/accounts/${client.id}`)).body.blockedUntil);
    until = DateTime.fromISO(blockedUntil, { zone: 'Europe/Moscow' }).setLocale('ru').toLocaleString(DateTime.DATE_FULL);
    studio = await openStudio(t, { viewport: { width: 1440, height: 900 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    ({ page } = studio);
    await studio.signInRu(t.owner.email, t.owner.password, s.tenant);
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    await t?.close();
  });

  it('shows "Клиент заблокирован до …" once the client is chosen, and books', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Журнал' }).click();
    await page.getByRole('heading', { name: 'Журнал', level: 1 }).waitFor();
    await page.getByLabel('Дата', { exact: true }).fill(day);
    await page.getByText('Время: Europe/Moscow').waitFor();
    await page.locator('.jb-col', { hasText: 'Мастер 1' }).waitFor();
    // 15:00 Moscow (12:00 UTC, the salon's afternoon).
    await clickStillCell(page, page.locator('.rbc-time-content .rbc-day-slot').nth(0).locator('.rbc-time-slot').nth(15 * 4));
    const dialog = page.getByRole('dialog', { name: /^Новая запись/ });
    await dialog.getByLabel('Клиент: телефон или имя').fill('Борис');
    await dialog.getByRole('list', { name: 'Найденные клиенты' }).getByRole('button', { name: 'Борис Пропущенный' }).click();
    await dialog.getByRole('alert').getByText(`Клиент заблокирован до ${until}`, { exact: false }).waitFor();
    await dialog.getByLabel('Услуга').selectOption({ label: 'Классический массаж' });
    await dialog.getByRole('button', { name: 'Записать' }).click();
    await dialog.waitFor({ state: 'detached' });
    const booked = (await s.api('GET', `/api/v1/bookings?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(24))}&limit=100`)).body.items;
    expect(booked.filter((b: any) => b.client.name === 'Борис Пропущенный' && b.status !== 'no_show')).toHaveLength(1);
  });
});
