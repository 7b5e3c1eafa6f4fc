/**
 * The day journal in Chromium, Russian UI, the browser in New York and the business in Vladivostok: columns in
 * the business's order on the business's clock, a phone caller booked from a free cell (found by a phone written
 * otherwise, or added), a refusal with its reason, the booking's card with one-click statuses, a reasoned cancel
 * and its undo, a booking by another admin showing up live, the staff sheet, and booking a caller on a 390×844 phone.
 * BOOKFLOW_SCREENSHOTS=1 also writes the README's screenshot (docs/images/journal.png).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

let t: TestApp;
let s: Salon;
let studio: StudioBrowser;
let page: Page;
let errors: string[] = [];
const confirms: string[] = [];
const day = nextMonday();
// Vladivostok is UTC+10 all year: 10:00 there is 00:00 UTC, and 20:00 of the eve in New York.
const at = (hh: number, mm = 0) => new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10), hh - 10, mm)).toISOString();
const bookings = async () => (await s.api('GET', `/api/v1/bookings?from=${at(0)}&to=${at(24)}&limit=100`)).body.items as Array<{ id: string; start: string; status: string; resourceIds: string[]; client: { id: string; name: string }; cancelReason: string | null }>;

/** The journal's slot of a column at a business-local time: 15-minute slots from midnight. */
const slot = (column: number, hh: number, mm = 0) => page.locator('.rbc-time-content .rbc-day-slot').nth(column).locator('.rbc-time-slot').nth(hh * 4 + mm / 15);
/** A click on a free cell; the column's event layer lies over the slots and takes the mouse for the calendar. */
const clickCell = async (column: number, hh: number, mm = 0) => {
  await slot(column, hh, mm).scrollIntoViewIfNeeded();
  const box = (await slot(column, hh, mm).boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
};

describe('the day journal at the front desk', () => {
  beforeAll(async () => {
    t = await startTestApp({ plugins: ['booking'] });
    s = await makeSalon(t, { timezone: 'Asia/Vladivostok', staffCount: 2 });
    const first = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(10), resourceIds: [s.staff[0], s.roomId], client: { name: 'Ирина Утренняя', phone: '+79161112233' } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    studio = await openStudio(t, { viewport: { width: 1440, height: 900 }, locale: 'ru-RU', timezoneId: 'America/New_York' });
    ({ page, errors } = studio);
    page.on('dialog', (d) => { confirms.push(d.message()); void d.accept(); });
    await studio.signInRu(t.owner.email, t.owner.password, s.tenant);
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    await t?.close();
  });

  it('shows the day by columns on the business\'s clock with a status legend, and moves between days', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Журнал' }).click();
    await page.getByRole('heading', { name: 'Журнал', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/studio/booking/journal');
    await page.getByLabel('Дата', { exact: true }).fill(day);
    await page.getByText('Время: Asia/Vladivostok').waitFor();
    // The grid is a chunk of its own, drawn once it has loaded.
    const heads = () => page.locator('.jb-col').evaluateAll((els) => els.map((e) => [e.getAttribute('data-column'), e.querySelector('small')?.textContent, e.lastChild?.textContent]));
    await expect.poll(heads).toEqual([[s.staff[0], 'Массаж', 'Мастер 1'], [s.staff[1], 'Массаж', 'Мастер 2'], [s.roomId, 'Кабинет', 'Кабинет 1']]);
    // 10:00 in Vladivostok, though the browser's clock says 20:00 of the eve; the booking shows in its staff and room columns.
    const cell = page.locator('.jb').filter({ hasText: 'Ирина Утренняя' });
    await expect.poll(() => cell.count()).toBe(2);
    expect((await cell.first().innerText()).replace(/\s+/g, ' ')).toBe('10:00–11:00 Ирина Утренняя Классический массаж');
    expect(await page.locator('.rbc-event.jb-status-confirmed').count()).toBe(2);
    expect(await page.getByRole('list', { name: 'Статусы' }).getByRole('listitem').allInnerTexts()).toEqual(expect.arrayContaining(['Подтверждена', 'Пришёл', 'Не пришёл']));
    await page.getByRole('button', { name: 'Следующий день' }).click();
    await expect.poll(() => page.getByLabel('Дата', { exact: true }).inputValue()).not.toBe(day);
    await expect.poll(() => page.locator('.jb').count()).toBe(0);
    await page.getByRole('button', { name: 'Предыдущий день' }).click();
    await expect.poll(() => page.locator('.jb').count()).toBe(2);
  });

  it('books a caller found by a phone written another way from a free cell', async () => {
    await clickCell(1, 12);
    const dialog = page.getByRole('dialog', { name: /^Новая запись · .* · Мастер 2$/ });
    await dialog.getByLabel('Клиент: телефон или имя').fill('8 (916) 111-22-33');
    await dialog.getByRole('list', { name: 'Найденные клиенты' }).getByRole('button', { name: 'Ирина Утренняя' }).click();
    await dialog.getByText('Клиент: Ирина Утренняя').waitFor();
    await dialog.getByLabel('Услуга').selectOption({ label: 'Классический массаж' });
    await dialog.getByRole('button', { name: 'Записать' }).click();
    await dialog.waitFor({ state: 'detached' });
    const made = (await bookings()).find((b) => b.start === at(12));
    expect(made).toMatchObject({ status: 'confirmed', client: { name: 'Ирина Утренняя' } });
    expect(made!.resourceIds).toContain(s.staff[1]);
    await expect.poll(() => page.locator('.jb').filter({ hasText: '12:00–13:00' }).count()).toBeGreaterThan(0);
  });

  it('adds a new caller at the desk and shows the engine\'s refusal in Russian', async () => {
    // 19:30: past the end of the specialist's day (19:00).
    await clickCell(0, 19, 30);
    const dialog = page.getByRole('dialog', { name: /^Новая запись/ });
    await dialog.getByLabel('Клиент: телефон или имя').fill('Пётр');
    await dialog.getByText('Никого не нашли — добавьте нового клиента.').waitFor();
    await dialog.getByLabel('Имя', { exact: true }).fill('Пётр Новый');
    await dialog.getByLabel('Телефон', { exact: true }).fill('+7 916 555-44-33');
    await dialog.getByRole('button', { name: 'Добавить клиента' }).click();
    await dialog.getByText('Клиент: Пётр Новый').waitFor();
    await dialog.getByLabel('Услуга').selectOption({ label: 'Классический массаж' });
    await dialog.getByRole('button', { name: 'Записать' }).click();
    await dialog.getByRole('alert').getByText(/недоступно для этой услуги/).waitFor();
    expect((await bookings()).some((b) => b.client.name === 'Пётр Новый')).toBe(false);
    const found = await s.api('GET', `/api/v1/contacts?q=${encodeURIComponent('89165554433')}`);
    expect(found.body.items.map((c: { name: string }) => c.name)).toEqual(['Пётр Новый']);
    await dialog.getByRole('button', { name: 'Закрыть' }).click();
  });

  it('opens a booking\'s card: client link, one-click arrival, cancelling with a reason', async () => {
    const [morning] = (await bookings()).filter((b) => b.start === at(10));
    await page.locator('.jb').filter({ hasText: 'Ирина Утренняя' }).filter({ hasText: '10:00–11:00' }).first().click();
    const card = page.getByRole('dialog', { name: /^Запись · / });
    await card.getByText('Классический массаж').waitFor();
    expect(await card.getByRole('link', { name: 'Ирина Утренняя' }).getAttribute('href')).toBe(`/studio/contacts/${morning.client.id}`);
    await card.getByRole('button', { name: 'Пришёл', exact: true }).click();
    await expect.poll(async () => (await bookings()).find((b) => b.id === morning.id)?.status).toBe('arrived');
    await card.getByRole('button', { name: 'Завершить' }).waitFor();
    await card.getByRole('button', { name: 'Закрыть' }).click();

    await page.locator('.jb').filter({ hasText: '12:00–13:00' }).first().click();
    const noon = page.getByRole('dialog', { name: /^Запись · / });
    await noon.getByRole('button', { name: 'Отменить запись' }).click();
    await noon.getByLabel('Причина отмены').fill('Клиент заболел');
    await noon.getByRole('button', { name: 'Отменить запись' }).click();
    await expect.poll(async () => (await bookings()).find((b) => b.start === at(12))).toMatchObject({ status: 'cancelled', cancelReason: 'Клиент заболел' });
    await noon.getByText('Отменена · Клиент заболел').waitFor();
    await expect.poll(() => page.locator('.jb').filter({ hasText: '12:00–13:00' }).count()).toBe(0);
    // Taken back from the same card: the time is the booking's again, and the history tells who did what.
    await noon.getByRole('button', { name: /^Вернуть запись \(осталось 1[45] мин\)$/ }).click();
    await expect.poll(async () => (await bookings()).find((b) => b.start === at(12))).toMatchObject({ status: 'confirmed', cancelReason: null });
    await noon.getByText('Подтверждена', { exact: true }).waitFor();
    const history = noon.getByRole('region', { name: 'История' });
    await history.getByText('возвращена после отмены').waitFor();
    expect(await history.getByRole('listitem').count()).toBe(3);
    expect(await history.getByRole('listitem').nth(1).innerText()).toContain('Клиент заболел');
    await noon.getByText('Заявка').click();
    await noon.getByText('звонок', { exact: true }).waitFor();
    await noon.getByText(/3\s000\s₽/).waitFor();
    await noon.getByRole('button', { name: 'Закрыть' }).click();
    await expect.poll(() => page.locator('.jb').filter({ hasText: '12:00–13:00' }).count()).toBeGreaterThan(0);
  });

  it('moves a booking to another specialist and time by dragging, after a confirmation, and shows a refusal', async () => {
    const made = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(16), resourceIds: [s.staff[0], s.roomId], client: { name: 'Ольга Перенос', phone: '+79167770011' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // Booked by another admin: the open journal shows it without a reload.
    await page.getByText('В реальном времени: изменения других видны сразу').waitFor();
    await page.locator('.jb').filter({ hasText: 'Ольга Перенос' }).first().waitFor();
    const drag = async (column: number, hh: number) => {
      const ev = page.locator('.rbc-event').filter({ hasText: 'Ольга Перенос' }).first();
      await ev.scrollIntoViewIfNeeded();
      await slot(column, hh).scrollIntoViewIfNeeded();
      const to = (await slot(column, hh).boundingBox())!;
      const from = (await ev.boundingBox())!;
      // Held 5 px below its top, the booking's top lands 5 px above where the mouse lets go.
      const [x0, y0, x1, y1] = [from.x + from.width / 2, from.y + 5, to.x + to.width / 2, to.y + 7];
      await page.mouse.move(x0, y0);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(x0 + ((x1 - x0) * i) / 10, y0 + ((y1 - y0) * i) / 10);
      await page.mouse.up();
    };
    await drag(1, 17);
    await expect.poll(async () => (await s.api('GET', `/api/v1/bookings/${made.body.id}`)).body.start).toBe(at(17));
    expect((await s.api('GET', `/api/v1/bookings/${made.body.id}`)).body.resourceIds.sort()).toEqual([s.staff[1], s.roomId].sort());
    expect(confirms.at(-1)).toBe('Перенести запись клиента Ольга Перенос на 17:00 (Мастер 2)?');
    await page.locator('.jb').filter({ hasText: 'Ольга Перенос' }).filter({ hasText: '17:00–18:00' }).first().waitFor();
    // 21:00 is past the end of the day: the engine refuses and says why; the booking stays.
    await drag(1, 21);
    await page.getByRole('alert').getByText(/недоступно для этой услуги/).waitFor();
    expect((await s.api('GET', `/api/v1/bookings/${made.body.id}`)).body.start).toBe(at(17));
  });

  it('shows the staff sheet of two weeks and colours by service with a legend', async () => {
    await page.getByLabel('Цвет по').selectOption('service');
    await page.getByRole('list', { name: 'Услуги' }).getByText('Классический массаж').waitFor();
    expect(await page.locator('.rbc-event.jb-status-confirmed').count()).toBe(0);
    if (process.env.BOOKFLOW_SCREENSHOTS) {
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: path.join(import.meta.dirname, '../../../docs/images/journal.png') });
    }
    await page.getByLabel('Цвет по').selectOption('status');
    await page.getByLabel('Вид').selectOption('sheet');
    const sheet = page.getByRole('region', { name: 'Кто когда работает' });
    await expect.poll(() => sheet.getByRole('row').count()).toBe(3);
    expect((await sheet.getByRole('row').nth(1).getByRole('cell').first().innerText()).replace(/\s+/g, ' ')).toBe('10:00–14:00 15:00–19:00');
    await page.getByLabel('Вид').selectOption('day');
  });

  it('books a caller from the journal on a 390×844 phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // The grid scrolls sideways inside the page; the second column's 15:00 cell is reachable.
    await clickCell(1, 15);
    const dialog = page.getByRole('dialog', { name: /^Новая запись · .* · Мастер 2$/ });
    const box = (await dialog.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(390);
    await dialog.getByLabel('Клиент: телефон или имя').fill('+7 916 777 00 11');
    await dialog.getByRole('list', { name: 'Найденные клиенты' }).getByRole('button', { name: 'Ольга Перенос' }).click();
    await dialog.getByLabel('Услуга').selectOption({ label: 'Классический массаж' });
    // The week's free times of this specialist; the booked 17:00 is not among them.
    const times = dialog.getByRole('group', { name: 'Свободное время' });
    const monday = times.getByRole('listitem').first();
    await monday.getByRole('button', { name: '15:00' }).waitFor();
    expect(await monday.getByRole('button', { name: '17:00' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Записать', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await bookings()).find((b) => b.start === at(15) && b.status === 'confirmed')).toMatchObject({ client: { name: 'Ольга Перенос' } });
    await page.setViewportSize({ width: 1440, height: 900 });
    // The refusals above are 409 answers the browser logs; nothing else went wrong.
    expect(errors.filter((e) => !e.includes('status of 409') && !e.includes('status of 401'))).toEqual([]);
  });

  it('marks a booking its client confirmed (from a reminder\'s button)', async () => {
    const moved = (await bookings()).find((b) => b.start === at(17) && b.status === 'confirmed')!;
    await t.app.db.db.updateTable('booking_bookings').set({ client_confirmed_at: t.clock.now() }).where('id', '=', moved.id).execute();
    await page.goto(`${t.url}/studio/booking/journal`);
    await page.getByLabel('Дата', { exact: true }).fill(day);
    const cell = page.locator('.jb').filter({ hasText: '17:00–18:00' });
    await cell.getByRole('img', { name: 'Клиент подтвердил визит' }).first().waitFor();
    expect(await page.getByRole('img', { name: 'Клиент подтвердил визит' }).count()).toBe(await cell.count());
  });
});
