/**
 * The Russian studio in Chromium shows its forms in Russian: a block's settings (every core and booking block)
 * and the booking plugin's settings carry no English label, option or error, and a Russian-only text is enough.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { ensureStudioBuilt } from '../scripts/build.js';
import { launchChromium } from '../scripts/chromium.js';

let t: TestApp;
let browser: Browser;
let page: Page;
let flowId: string;
const consoleErrors: string[] = [];

/** Labels the Russian studio used to show in English (issue 11), and words any English form would have. */
const ENGLISH = ['Slot step, minutes', 'Text', 'Buttons', 'Save as', 'Kind', 'Prompt', 'Minimum', 'Attempts', 'Button text', 'Days shown', 'must have required property', 'must NOT', 'Ask for the name', 'Unit', 'Method', 'Timeout'];

/** What the form in `scope` shows a person: labels, legends, help, options and errors. */
const shown = (p: Page, scope: string) => p.locator(`${scope} label, ${scope} legend, ${scope} .help, ${scope} option, ${scope} .field-error, ${scope} .errors-list li`).allInnerTexts();
const englishIn = (texts: string[]) => texts.map((s) => s.trim()).filter((s) => ENGLISH.some((w) => s === w || s.startsWith(`${w} `) || s.includes('must ')));

const at = (x: number) => ({ x: x * 260, y: 0 });
const NODES = [
  { id: 'start', type: 'trigger.command', position: at(0), settings: { command: '/lang' } },
  { id: 'ask', type: 'input', position: at(1), settings: { text: { ru: 'Сколько вам лет?' }, kind: 'number', saveAs: 'age' } },
  { id: 'menu', type: 'choice', position: at(2), settings: { text: { ru: 'Что дальше?' }, buttons: [{ id: 'promo', label: { ru: '🎁 Акции' } }] } },
  { id: 'check', type: 'condition', position: at(3), settings: { rules: [{ id: 'adult', label: { ru: 'Взрослый' }, all: [{ var: 'age', op: 'gte', value: 18 }] }] } },
  { id: 'pause', type: 'wait', position: at(4), settings: { delay: { amount: 1, unit: 'hours' } } },
  { id: 'call', type: 'http', position: at(5), settings: { method: 'GET', url: 'https://example.com' } },
  { id: 'day', type: 'booking.pick-day', position: at(6), settings: {} },
  { id: 'contact', type: 'booking.ask-contact', position: at(7), settings: {} },
  { id: 'end', type: 'end', position: at(8), settings: {} },
];
const EDGES = [['start', 'next', 'ask'], ['ask', 'next', 'menu'], ['menu', 'promo', 'check'], ['check', 'adult', 'pause'], ['check', 'else', 'pause'], ['pause', 'next', 'call'], ['call', 'next', 'day'], ['day', 'next', 'contact'], ['contact', 'next', 'end']]
  .map(([source, sourcePort, target]) => ({ id: `${source}-${sourcePort}`, source, sourcePort, target }));

describe('the Russian studio’s forms are in Russian', () => {
  beforeAll(async () => {
    await ensureStudioBuilt();
    t = await startTestApp();
    const token = await t.login(t.owner.email, t.owner.password);
    const graph = { schemaVersion: 1, variables: [{ name: 'age', type: 'number' }], nodes: NODES, edges: EDGES };
    const created = await t.api('POST', '/api/v1/flows', { token, tenant: 'demo', body: { key: 'lang', name: 'Язык', graph } });
    expect(created.status).toBe(201);
    flowId = created.body.id;
    // Russian-only texts in a Russian business: nothing to fix, the flow publishes.
    expect((await t.api('POST', `/api/v1/flows/${flowId}/publish`, { token, tenant: 'demo' })).status).toBe(200);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) consoleErrors.push(`${r.status()} ${r.url()}`); });
    page.setDefaultTimeout(15_000);
    await page.goto(`${t.url}/studio/`);
    await page.getByLabel('Язык').selectOption('ru');
    await page.getByLabel('Эл. почта').fill(t.owner.email);
    await page.getByLabel('Пароль').fill(t.owner.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { name: 'Боты и сценарии', level: 1 }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows every block’s settings with Russian labels, options and help', async () => {
    await page.goto(`${t.url}/studio/flows/${flowId}`);
    await page.locator('.react-flow__node').first().waitFor();
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('Проблем нет');
    for (const n of NODES) {
      await page.locator(`.react-flow__node[data-id="${n.id}"]`).click();
      const inspector = page.getByRole('region', { name: 'Настройки блока' });
      await inspector.locator('.schema-form, p').first().waitFor();
      const texts = await shown(page, 'section.inspector');
      expect(texts.length, n.type).toBeGreaterThan(0);
      expect(englishIn(texts), n.type).toEqual([]);
    }
    // The Russian text is the required one: its row comes first, marked.
    await page.locator('.react-flow__node[data-id="ask"]').click();
    expect(await page.locator('section.inspector .lang-tag').first().textContent()).toBe('RU*');
    expect(await page.locator('section.inspector select[data-path="/kind"] option').allInnerTexts()).toEqual(['— выберите —', 'Текст', 'Число', 'Телефон', 'Дата']);
  });

  it('names an unconnected button by its label, and clicking the problem selects the block', async () => {
    await page.locator('.react-flow__node[data-id="menu"]').click();
    const inspector = page.getByRole('region', { name: 'Настройки блока' });
    await inspector.getByRole('group', { name: 'Куда ведёт каждый выход' }).getByLabel('🎁 Акции').selectOption('');
    const problem = page.locator('.problems li button', { hasText: 'Кнопка «🎁 Акции» никуда не ведёт' });
    await problem.waitFor();
    expect(await problem.textContent()).not.toContain('promo');
    await page.locator('.react-flow__node[data-id="end"]').click();
    await problem.click();
    await expect.poll(() => page.locator('.react-flow__node.selected').getAttribute('data-id')).toBe('menu');
    // An empty Russian text is reported in Russian, under its field.
    await inspector.getByLabel('RU*').first().fill('');
    await inspector.locator('.field-error', { hasText: 'Заполните это поле' }).first().waitFor();
    expect(englishIn(await shown(page, 'section.inspector'))).toEqual([]);
  });

  it('shows the booking settings in Russian', async () => {
    await page.goto(`${t.url}/studio/plugins/booking/booking`);
    await page.getByLabel('Шаг слотов, минут').waitFor();
    const texts = await shown(page, 'main');
    expect(texts).toContain('На сколько дней вперёд можно записаться');
    expect(englishIn(texts)).toEqual([]);
  });

  it('picks the time zone by region or by search, the market’s first, and the currency from a list', async () => {
    await page.goto(`${t.url}/studio/settings`);
    const zone = page.locator('select[data-path="/timezone"]');
    expect(await page.locator('label[for]', { hasText: 'Часовой пояс' }).getAttribute('for')).toBe(await zone.getAttribute('id'));
    await zone.waitFor();
    expect(await zone.inputValue()).toBe('Europe/Moscow');
    const groups = await zone.locator('optgroup').evaluateAll((els) => els.map((e) => e.getAttribute('label')));
    expect(groups.slice(0, 1)).toEqual(['Основные']);
    expect(groups).toEqual(expect.arrayContaining(['Европа', 'Азия', 'Америка']));
    await page.getByLabel('Найти часовой пояс').fill('novosib');
    expect(await zone.locator('optgroup option').allInnerTexts()).toEqual(['Asia/Novosibirsk']);
    await zone.selectOption('Asia/Novosibirsk');
    const currency = page.locator('select[data-path="/currency"]');
    expect(await currency.locator('option:checked').innerText()).toMatch(/рубль \(RUB\)/i);
    expect((await currency.locator('option').allInnerTexts()).length).toBeGreaterThan(10);
  });

  it('raised no page errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
