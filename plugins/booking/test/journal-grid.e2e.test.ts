/**
 * The journal's grid in Chromium, Russian UI: a booking's length changed by dragging its bottom edge (confirmed, then
 * checked by the engine: a refusal says why and the block goes back), and statuses changed from the booking's block.
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
const confirms: string[] = [];
const day = nextMonday();
// Vladivostok is UTC+10 all year.
const at = (hh: number, mm = 0) => new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10), hh - 10, mm)).toISOString();
const booking = async (id: string) => (await s.api('GET', `/api/v1/bookings/${id}`)).body as { start: string; end: string; status: string };
const book = async (hh: number, name: string, phone: string, staff = 0) => {
  const r = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(hh), resourceIds: [s.staff[staff], s.roomId], client: { name, phone } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};
/** The journal's slot of a column at a business-local time: 15-minute slots from midnight. */
const slot = (column: number, hh: number, mm = 0) => page.locator('.rbc-time-content .rbc-day-slot').nth(column).locator('.rbc-time-slot').nth(hh * 4 + mm / 15);
/** The status menu's opener on a booking's block (exact: the block itself is a button whose name contains it). */
const opener = (name: string) => page.getByRole('button', { name: `Статус: ${name}`, exact: true }).first();
const block = (name: string) => page.locator('.rbc-event').filter({ hasText: name }).first();

/** Drags a booking's bottom edge onto the slot of its column that starts at the new end: the calendar ends it there. */
async function dragBottom(name: string, column: number, hh: number, mm: number) {
  const ev = block(name);
  await ev.scrollIntoViewIfNeeded();
  await ev.hover();
  const edge = ev.locator('.rbc-addons-dnd-resize-ns-anchor').last().locator('.rbc-addons-dnd-resize-ns-icon');
  const from = (await edge.boundingBox())!;
  const to = (await slot(column, hh, mm).boundingBox())!;
  const [x0, y0, y1] = [from.x + from.width / 2, from.y + from.height / 2, to.y + to.height / 2];
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(x0, y0 + ((y1 - y0) * i) / 10);
  await page.mouse.up();
}

describe('the journal grid: resizing and one-click statuses', () => {
  let long: string;
  beforeAll(async () => {
    t = await startTestApp({ plugins: ['booking'] });
    s = await makeSalon(t, { timezone: 'Asia/Vladivostok', staffCount: 2 });
    long = await book(10, 'Анна Длинная', '+79161112201');
    studio = await openStudio(t, { viewport: { width: 1440, height: 900 }, locale: 'ru-RU', timezoneId: 'America/New_York' });
    ({ page } = studio);
    page.on('dialog', (d) => { confirms.push(d.message()); void d.accept(); });
    await studio.signInRu(t.owner.email, t.owner.password, s.tenant);
    await page.getByRole('navigation').getByRole('link', { name: 'Журнал' }).click();
    await page.getByLabel('Дата', { exact: true }).fill(day);
    await block('Анна Длинная').waitFor();
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    await t?.close();
  });

  it('lengthens a booking by its bottom edge after a confirmation', async () => {
    await dragBottom('Анна Длинная', 0, 11, 30);
    await expect.poll(async () => (await booking(long)).end).toBe(at(11, 30));
    expect(confirms.at(-1)).toBe('Изменить запись клиента Анна Длинная на 10:00–11:30?');
    expect((await booking(long)).start).toBe(at(10));
    await page.locator('.jb').filter({ hasText: '10:00–11:30 Анна Длинная' }).first().waitFor();
  });

  it('refuses a length over the next booking in Russian and puts the block back', async () => {
    await book(12, 'Борис Следом', '+79161112202');
    await block('Борис Следом').waitFor();
    await dragBottom('Анна Длинная', 0, 12, 30);
    await page.getByRole('alert').getByText(/уже занято/).waitFor();
    expect((await booking(long)).end).toBe(at(11, 30));
    await page.locator('.jb').filter({ hasText: '10:00–11:30 Анна Длинная' }).first().waitFor();
    expect(await page.locator('.jb').filter({ hasText: '10:00–12:30' }).count()).toBe(0);
  });

  it('marks arrival, completion and a no-show from the booking\'s block', async () => {
    const menu = page.getByRole('menu', { name: 'Сменить статус' });
    await opener('Анна Длинная').click();
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(['Пришёл', 'Не пришёл']);
    await menu.getByRole('menuitem', { name: 'Пришёл', exact: true }).click();
    await expect.poll(async () => (await booking(long)).status).toBe('arrived');
    // The card stayed closed: the menu is the block's own, not a click on the booking.
    expect(await page.getByRole('dialog', { name: /^Запись · / }).count()).toBe(0);
    await expect.poll(() => page.locator('.rbc-event.jb-status-arrived').count()).toBe(2);
    await opener('Анна Длинная').click();
    await menu.getByRole('menuitem', { name: 'Завершить' }).click();
    await expect.poll(async () => (await booking(long)).status).toBe('completed');
    // A completed visit has no further one-click move.
    await expect.poll(() => opener('Анна Длинная').count()).toBe(0);

    const late = (await s.api('GET', `/api/v1/bookings?from=${at(12)}&to=${at(13)}&limit=10`)).body.items[0].id as string;
    await opener('Борис Следом').click();
    await menu.getByRole('menuitem', { name: 'Не пришёл' }).click();
    await expect.poll(async () => (await booking(late)).status).toBe('no_show');
  });
});
