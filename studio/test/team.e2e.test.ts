/**
 * The team and the account in the Russian studio (Chromium): an owner invites a manager, who accepts through the
 * link and signs in; the owner links a specialist to their journal column, and the specialist sees only their own
 * day; the account page changes the password and signs out everywhere; on a 390×844 phone the shell fits and the
 * clients list works; the forms work from the keyboard (Enter submits, Escape closes a dialog).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../test/helpers/studio-browser.js';

let t: TestApp;
let s: StudioBrowser;
let page: Page;
let token: string;

async function signIn(email: string, password: string) {
  await page.goto(`${t.url}/studio/`);
  await page.getByLabel('Язык').selectOption('ru');
  await page.getByLabel('Эл. почта').fill(email);
  await page.getByLabel('Пароль').fill(password);
  // Enter submits, as everywhere.
  await page.getByLabel('Пароль').press('Enter');
  await page.getByRole('navigation', { name: 'Разделы' }).or(page.getByRole('button', { name: 'Показать или скрыть меню' })).first().waitFor();
}
const signOut = async () => {
  await page.getByRole('button', { name: 'Выйти', exact: true }).click();
  await page.getByRole('button', { name: 'Войти' }).waitFor();
};
const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
  token = await t.login(t.owner.email, t.owner.password);
  s = await openStudio(t, { locale: 'ru-RU', viewport: { width: 1440, height: 900 } });
  page = s.page;
});
afterAll(async () => {
  await s?.close();
  await t?.close();
});

describe('the team', () => {
  it('keeps owners to owners and always one of them (API)', async () => {
    const admin = await t.addMember(token, 'admin@test.local', 'admin');
    const members = (await t.api('GET', '/api/v1/members', { token, tenant: 'demo' })).body.items;
    const adminRow = members.find((m: { email: string }) => m.email === 'admin@test.local');
    const as = (who: string, body: unknown, id = adminRow.id) => t.api('PATCH', `/api/v1/members/${id}`, { token: who, tenant: 'demo', body });
    expect((await as(admin.token, { role: 'owner' })).body.code).toBe('BF_ERR_AUTH_FORBIDDEN');
    expect((await as(admin.token, { role: 'specialist' }, t.owner.userId)).body.code).toBe('BF_ERR_AUTH_FORBIDDEN');
    expect((await as(token, { role: 'owner' }, t.owner.userId)).status).toBe(200);
    const last = await as(token, { role: 'manager' }, t.owner.userId);
    expect(last).toMatchObject({ status: 409, body: { code: 'BF_ERR_MEMBER_LAST_OWNER' } });
    expect((await t.api('DELETE', `/api/v1/members/${t.owner.userId}`, { token, tenant: 'demo' })).body.code).toBe('BF_ERR_MEMBER_LAST_OWNER');
    const bad = await as(token, { role: 'boss' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('/body/role');
    expect((await as(token, { role: 'manager' })).body).toMatchObject({ email: 'admin@test.local', role: 'manager' });
    expect((await t.api('GET', '/api/v1/audit?entity=member', { token, tenant: 'demo' })).body.items?.[0]).toMatchObject({ action: 'role', entity_id: adminRow.id });
  });

  it('an owner invites a manager, who accepts through the link and signs in', async () => {
    await signIn(t.owner.email, t.owner.password);
    await page.getByRole('link', { name: 'Команда' }).click();
    await page.getByRole('heading', { name: 'Команда', level: 1 }).waitFor();
    await page.getByLabel('Эл. почта').fill('manager@test.local');
    await page.getByLabel('Роль', { exact: true }).selectOption({ label: 'менеджер' });
    await page.getByLabel('Эл. почта').press('Enter');
    const link = await page.getByTestId('invite-link').textContent();
    expect(link).toMatch(/\/studio\/invite\/[A-Za-z0-9_-]{20,}$/);
    await expect.poll(() => page.getByText('manager@test.local · менеджер').count()).toBe(1);
    await signOut();

    await page.goto(link!);
    await page.getByRole('heading', { name: /Присоединиться|Demo/ }).waitFor();
    await page.getByLabel('Ваше имя').fill('Мария Менеджер');
    await page.getByLabel('Придумайте пароль').fill('manager-password-1');
    await page.getByRole('button', { name: 'Принять приглашение' }).click();
    await page.getByRole('navigation', { name: 'Разделы' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'manager@test.local' }).count()).toBe(1);
    // A manager runs the day, not the team.
    expect(await page.getByRole('link', { name: 'Команда' }).count()).toBe(0);
    await signOut();
    await signIn('manager@test.local', 'manager-password-1');
    await expect.poll(() => page.getByRole('link', { name: 'manager@test.local' }).count()).toBe(1);
    await signOut();
  });

  it('links a specialist to their journal column, and the specialist sees only their own day', async () => {
    const spec = await t.addMember(token, 'olga@test.local', 'specialist', { name: 'Ольга' });
    const resources = (await t.api('GET', '/api/v1/booking/resources', { token, tenant: 'demo' })).body.items;
    const olga = resources.find((r: { name: string }) => r.name === 'Ольга Смирнова');
    const igor = resources.find((r: { name: string }) => r.name === 'Игорь Волков');
    const service = (await t.api('GET', '/api/v1/booking/services', { token, tenant: 'demo' })).body.items.find((x: { name: string }) => x.name.startsWith('Общий массаж'));
    // One booking in each column today, at noon on the business's clock.
    const tz = (await t.api('GET', '/api/v1/tenant', { token, tenant: 'demo' })).body.timezone;
    const noon = DateTime.fromJSDate(t.clock.now(), { zone: tz }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
    for (const [r, name, at] of [[olga, 'Клиентка Ольги', noon], [igor, 'Клиент Игоря', noon.plus({ hours: 2 })]] as const) {
      const made = await t.api('POST', '/api/v1/bookings', { token, tenant: 'demo', body: { serviceId: service.id, start: at.toUTC().toISO(), resourceIds: [r.id], force: true, client: { name, phone: `+7916${String(at.hour).padStart(7, '0')}` } } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }

    await signIn(t.owner.email, t.owner.password);
    await page.getByRole('link', { name: 'Команда' }).click();
    await page.getByLabel('Колонка в журнале: olga@test.local').selectOption({ label: 'Ольга Смирнова' });
    await expect.poll(async () => (await t.api('GET', `/api/v1/booking/resources/${olga.id}`, { token, tenant: 'demo' })).body.userId).toBe(spec.userId);
    // Escape closes a dialog; nothing is removed.
    await page.getByRole('row', { name: /olga@test\.local/ }).getByRole('button', { name: 'Удалить' }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect((await t.api('GET', '/api/v1/members', { token, tenant: 'demo' })).body.items.map((m: { email: string }) => m.email)).toContain('olga@test.local');
    await signOut();

    await signIn(spec.email, spec.password);
    await page.goto(`${t.url}/studio/booking/journal?date=${noon.toISODate()}`);
    const main = page.getByRole('main');
    // The journal's column filter lists the staff too (hidden options): the columns are what is shown.
    await main.getByText('Ольга Смирнова').filter({ visible: true }).first().waitFor();
    await main.getByText('Клиентка Ольги').first().waitFor();
    expect(await main.getByText('Игорь Волков').filter({ visible: true }).count()).toBe(0);
    expect(await main.getByText('Клиент Игоря').count()).toBe(0);
    // Their clients' bookings only, through the API as well.
    const seen = (await t.api('GET', '/api/v1/bookings', { token: spec.token, tenant: 'demo' })).body.items.map((b: { client: { name: string } }) => b.client.name);
    expect(seen).toContain('Клиентка Ольги');
    expect(seen).not.toContain('Клиент Игоря');
    await signOut();
  });

  it('the account page changes the password and signs out everywhere', async () => {
    const other = await t.login('manager@test.local', 'manager-password-1');
    await signIn('manager@test.local', 'manager-password-1');
    await page.getByRole('link', { name: 'Мой профиль' }).first().click();
    await page.getByLabel('Текущий пароль').fill('manager-password-1');
    await page.getByLabel('Новый пароль', { exact: true }).fill('manager-password-2');
    await page.getByLabel('Новый пароль ещё раз').fill('manager-password-3');
    await page.getByLabel('Новый пароль ещё раз').press('Enter');
    await page.getByText('Новые пароли не совпадают.').waitFor();
    await page.getByLabel('Новый пароль ещё раз').fill('manager-password-2');
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await page.getByText(/Пароль изменён; другие ваши сеансы \(\d+\) завершены\./).waitFor();
    expect((await t.api('GET', '/api/v1/auth/me', { token: other })).status).toBe(401);
    await page.getByRole('button', { name: 'Выйти на всех устройствах' }).click();
    await page.getByRole('button', { name: 'Войти' }).waitFor();
    await signIn('manager@test.local', 'manager-password-2');
    await signOut();
  });
});

describe('on a 390×844 phone', () => {
  it('the shell fits, sign-out is on screen, the menu opens and closes, the clients list works', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(t.owner.email, t.owner.password);
    expect(await noSideScroll()).toBe(true);
    const out = await page.getByRole('button', { name: 'Выйти', exact: true }).boundingBox();
    expect(out && out.x >= 0 && out.x + out.width <= 390 && out.y + out.height <= 844).toBe(true);
    // The menu is a drawer: closed at first, opened by ☰, closed by going somewhere.
    expect(await page.getByRole('navigation', { name: 'Разделы' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Показать или скрыть меню' }).click();
    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Клиенты' }).click();
    await page.getByRole('heading', { name: 'Клиенты', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Разделы' }).count()).toBe(0);
    await page.getByLabel('Поиск').fill('Клиентка');
    await page.getByRole('link', { name: 'Клиентка Ольги' }).waitFor();
    expect(await noSideScroll()).toBe(true);
    for (const path of ['/team', '/flows', '/settings']) {
      await page.goto(`${t.url}/studio${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await noSideScroll(), path).toBe(true);
    }
    // The editor stacks its panels: the canvas, then a block's settings, both on screen width.
    const flow = (await t.api('GET', '/api/v1/flows', { token, tenant: 'demo' })).body.items[0];
    await page.goto(`${t.url}/studio/flows/${flow.id}`);
    await page.locator('.react-flow__node').first().click();
    await page.getByRole('region', { name: 'Настройки блока' }).waitFor();
    for (const panel of ['[data-testid="canvas"]', '.editor-body .side']) {
      const box = await page.locator(panel).boundingBox();
      expect(box && box.width > 300 && box.x >= 0 && box.x + box.width <= 390, panel).toBe(true);
    }
    expect(await noSideScroll()).toBe(true);
    // Signed out, the studio's first question (GET /auth/me) is answered 401, which the browser logs.
    expect(s.errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });
});
