/**
 * The Russian studio in Chromium, every installed plugin on: each page the navigation reaches, and each dialog
 * its buttons open, shows no English word a person would read (brand and protocol names, codes, emails, links
 * and time zone ids aside). Then the test chat books through the draft of the demo booking flow: the booking is
 * marked test and held briefly, an old button says it is no longer current, and closing the chat cancels it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { Locator, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../test/helpers/studio-browser.js';

/** Latin words a Russian page may show: names of products, protocols and file formats. */
const ALLOWED = [
  // Data, not labels: the test business, its owner's name, the demo template's bot and equipment, and the spa's
  // own interest categories (seed 003 names them so).
  'Demo', 'Owner', 'Beauty', 'Spa', 'Cellu', 'Wellness', 'Nail',
  'Excel', 'Bookflow', 'Telegram', 'Payments', 'Kassa', 'WhatsApp', 'MAX', 'SMS', 'SMS.ru', 'English', 'Email', 'CSV', 'XLSX', 'JSON', 'SMTP', 'API', 'URL', 'ID', 'React', 'Flow', 'YooKassa', 'Stripe', 'Mango', 'Office', 'LPG', 'SPA', 'HTTP', 'HTTPS', 'GET', 'POST', 'ISO', 'UTC', 'TLS', 'STARTTLS', 'IMAP'];
/** Buttons the scan does not press: they change data, leave the page or ring a phone. */
const SKIP = /Удалить|Выключить|Включить|Опубликовать|Отозвать|Повторить|Сохранить|Отправить|Выйти|Восстановить|Экспорт|Импорт|Отменить|Объединить|Баланс|баланс|Скопировать|Войти|Принять|Сменить|Записать|Вернуть|Копировать|Вставить|Сначала|Поделиться|Позвонить/;

let t: TestApp;
let s: StudioBrowser;
let page: Page;
let token: string;

/**
 * What people read in `scope` that has English words: visible text, placeholders, labels for screen readers and
 * the options of visible selects. A part marked `lang="en"` (the English version of a client message) is meant so.
 */
function englishIn(scope: Locator): Promise<string[]> {
  return scope.evaluate((root, allowed) => {
    const ok = new Set(allowed);
    const hidden = (el: Element | null) => !el || el.closest('code, pre, script, style, .react-flow__attribution, [aria-hidden="true"], [lang="en"]') !== null || (el as HTMLElement).getClientRects().length === 0;
    const texts: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!hidden(n.parentElement)) texts.push(n.textContent ?? '');
    for (const el of Array.from(root.querySelectorAll('[placeholder], [aria-label], [title]'))) {
      if (hidden(el)) continue;
      for (const a of ['placeholder', 'aria-label', 'title']) texts.push(el.getAttribute(a) ?? '');
    }
    for (const sel of Array.from(root.querySelectorAll('select'))) if (!hidden(sel)) for (const o of Array.from(sel.options)) texts.push(o.text);
    const english = (text: string) => text
      .replace(/\b(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\/[A-Za-z_ /+-]+/g, ' ')
      .replace(/\S+@\S+|@\w+|https?:\/\/\S+|\/\S+|\b[a-z]+_[a-z_]+\b/g, ' ')
      .match(/[A-Za-z][A-Za-z.'’-]*[A-Za-z]/g)?.filter((w) => !ok.has(w) && !/^[A-Z0-9_.]{2,6}$/.test(w) && !/^BF_ERR_/.test(w)) ?? [];
    return [...new Set(texts.map((x) => x.trim()).filter((x) => english(x).length > 0))];
  }, ALLOWED);
}

async function settle() {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await expect.poll(() => page.locator('.loading').count()).toBe(0);
}

beforeAll(async () => {
  t = await startTestApp();
  token = await t.login(t.owner.email, t.owner.password);
  s = await openStudio(t, { locale: 'ru-RU', viewport: { width: 1440, height: 900 } });
  page = s.page;
  await page.goto(`${t.url}/studio/`);
  await page.getByLabel('Язык').selectOption('ru');
  await page.getByLabel('Эл. почта').fill(t.owner.email);
  await page.getByLabel('Пароль').fill(t.owner.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.getByRole('navigation', { name: 'Разделы' }).waitFor();
});
afterAll(async () => {
  await s?.close();
  await t?.close();
});

describe('the Russian studio', () => {
  it('shows no English label on any page of the navigation, nor in the dialogs their buttons open', async () => {
    const links = page.getByRole('navigation', { name: 'Разделы' }).getByRole('link');
    const paths = (await links.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname)));
    expect(paths.length).toBeGreaterThan(8);
    const found: Record<string, string[]> = {};
    let dialogs = 0;
    for (const path of paths) {
      await page.goto(`${t.url}${path}`);
      await settle();
      const onPage = await englishIn(page.locator('body'));
      if (onPage.length) found[path] = onPage;
      const buttons = page.getByRole('main').getByRole('button');
      const labels = (await buttons.allInnerTexts()).map((l) => l.trim());
      // One of each: a row's "Edit" opens the same dialog as the next row's.
      const tried = new Set<string>();
      for (const [i, label] of labels.entries()) {
        if (!label || SKIP.test(label) || tried.has(label)) continue;
        tried.add(label);
        const button = buttons.nth(i);
        if (!(await button.isVisible()) || !(await button.isEnabled({ timeout: 2000 }).catch(() => false))) continue;
        // A list that refreshed meanwhile may have replaced the button: one gone is not pressed.
        if (await button.click({ timeout: 3000 }).then(() => false, () => true)) continue;
        const dialog = page.locator('dialog[open]');
        if (await dialog.count()) {
          dialogs++;
          const inDialog = await englishIn(dialog);
          if (inDialog.length) found[`${path} → ${label}`] = inDialog;
          await page.keyboard.press('Escape');
          await expect.poll(() => dialog.count()).toBe(0);
        }
        if (new URL(page.url()).pathname !== path) {
          await page.goto(`${t.url}${path}`);
          await settle();
        }
      }
    }
    expect(found).toEqual({});
    expect(dialogs).toBeGreaterThan(0);
  }, 300_000);
});

describe('the test chat', () => {
  it('books a test booking held briefly, answers an old button, and cancels the booking when it closes', async () => {
    const flows = await t.api('GET', '/api/v1/flows', { token, tenant: 'demo' });
    const flow = flows.body.items.find((f: { key: string }) => f.key === 'booking');
    await page.goto(`${t.url}/studio/flows/${flow.id}`);
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('button', { name: 'Тестовый чат' }).click();
    const chat = page.getByRole('complementary', { name: 'Тестовый чат' });
    await chat.getByText('Это проверка: записи отсюда держат время 10 минут').waitFor();
    const press = async (name: string | RegExp) => {
      const button = chat.getByRole('button', { name }).last();
      await expect.poll(() => button.isEnabled()).toBe(true);
      await button.click();
    };
    await press('Массаж');
    await press(/^Общий массаж/);
    await press(/^👥/);
    const days = chat.locator('.bubble').last().getByRole('button').filter({ hasNotText: '✕' });
    await days.nth(1).waitFor();
    await days.nth(1).click();
    await chat.locator('.bubble').last().getByRole('button', { name: /^\d\d:\d\d$/ }).first().click();
    await chat.getByText('Как к вам обращаться').last().waitFor();
    await chat.getByLabel('Сообщение').fill('Проверка Чата');
    await chat.getByLabel('Сообщение').press('Enter');
    await press('📱 Отправить мой номер');
    await press(/^✅/);
    await chat.getByText(/Вы записаны/).waitFor();

    const test = await t.api('GET', '/api/v1/bookings?test=true', { token, tenant: 'demo' });
    expect(test.body.items).toHaveLength(1);
    const booking = test.body.items[0];
    expect(booking).toMatchObject({ test: true, status: 'held', client: { name: 'Проверка Чата' } });
    expect(new Date(booking.holdExpiresAt).getTime() - t.clock.now().getTime()).toBeLessThanOrEqual(10 * 60_000);
    // The desk sees it in the journal of its day, marked as a test.
    const deskContext = await s.browser.newContext({ storageState: await page.context().storageState(), locale: 'ru-RU', viewport: { width: 1440, height: 900 } });
    const desk = await deskContext.newPage();
    await desk.goto(`${t.url}/studio/booking/journal`);
    await desk.getByLabel('Дата').fill(DateTime.fromISO(booking.start, { zone: 'Europe/Moscow' }).toISODate()!);
    await desk.locator('.jb').filter({ hasText: 'Проверка Чата' }).filter({ has: desk.locator('.jb-badge', { hasText: 'Тест' }) }).first().waitFor();
    await deskContext.close();

    // The first message's button, pressed long after: answered, not silently ignored.
    await chat.locator('.bubble').first().getByRole('button', { name: 'Массаж' }).click();
    await chat.getByText('Этот выбор уже неактуален').waitFor();

    await chat.getByRole('button', { name: 'Закрыть' }).click();
    await expect.poll(() => chat.count()).toBe(0);
    await expect.poll(async () => (await t.api('GET', `/api/v1/bookings/${booking.id}`, { token, tenant: 'demo' })).body.status, { timeout: 15_000 }).toBe('cancelled');
    // Signed out, the studio's first question (GET /auth/me) is answered 401, which the browser logs.
    expect(s.errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });
});
