/**
 * An owner builds "2 hours after a visit is completed, ask how it went" on the canvas, in Chromium against the
 * real server: the palette's event trigger lists booking's events by their labels, the client's field is filled in,
 * the filter and the time are set in its form, and the published flow subscribes to the event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { ensureStudioBuilt } from '../scripts/build.js';
import { launchChromium } from '../scripts/chromium.js';
import { en, graph } from '../../core/flow/test/graph-builder.js';

let t: TestApp;
let browser: Browser;
let page: Page;
let flowId: string;
const consoleErrors: string[] = [];

describe('event triggers in the studio', () => {
  beforeAll(async () => {
    await ensureStudioBuilt();
    t = await startTestApp();
    const token = await t.login(t.owner.email, t.owner.password);
    const draft = graph([
      ['ask', 'choice', { text: en('How did it go?'), buttons: [{ id: 'good', label: en('Great') }] }],
      ['fin', 'end', {}],
    ], ['ask.good>fin']);
    const created = await t.api('POST', '/api/v1/flows', { token, tenant: 'demo', body: { key: 'follow-up', name: 'Follow-up', graph: draft } });
    expect(created.status).toBe(201);
    flowId = created.body.id;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
    page.setDefaultTimeout(15_000);
    await page.goto(`${t.url}/studio/`);
    await page.locator('#login-lang').selectOption('ru');
    await page.getByLabel('Эл. почта').fill(t.owner.email);
    await page.getByLabel('Пароль').fill(t.owner.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.locator('#business-select').selectOption({ value: 'demo' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('adds the event trigger from the palette and sets it up with booking’s events', async () => {
    await page.goto(`${t.url}/studio/flows/${flowId}`);
    await page.locator('.react-flow__node').first().waitFor();
    await page.locator('.palette-item[data-type="trigger.event"]').click();
    const inspector = page.locator('.inspector');
    const eventSelect = inspector.getByLabel('Событие');
    await expect.poll(() => eventSelect.locator('option').allTextContents()).toContain('Визит завершён');
    await eventSelect.selectOption({ label: 'Визит завершён' });
    expect(await inspector.getByLabel('Клиент — в поле').inputValue()).toBe('clientId');

    // A condition on a field booking.completed has, then "2 hours after" the event itself.
    await inspector.getByRole('button', { name: /Добавить условие/ }).click();
    await inspector.getByLabel('Только если 1', { exact: true }).selectOption('price');
    await inspector.getByLabel('Только если 1: op').selectOption('gt');
    await inspector.getByLabel('Значение').fill('1000');
    await inspector.getByLabel('Когда', { exact: true }).selectOption('after');
    await inspector.getByLabel('Сколько').fill('2');
    await inspector.getByLabel('Когда: unit').selectOption('hours');
    // Its output leads to the question.
    await inspector.getByRole('group', { name: 'Куда ведёт каждый выход' }).getByLabel('Далее').selectOption('ask');
    await expect.poll(async () => {
      const flow = await t.app.db.db.selectFrom('flows').select('draft').where('id', '=', flowId).executeTakeFirstOrThrow();
      return (flow.draft as { nodes: Array<{ type: string; settings: unknown }> }).nodes.find((n) => n.type === 'trigger.event')?.settings;
    }).toEqual({ event: 'booking.completed', contactField: 'clientId', filter: [{ field: 'price', op: 'gt', value: 1000 }], offset: { amount: 2, unit: 'hours', direction: 'after' } });
  });

  it('publishes, and the published flow subscribes to the event', async () => {
    await expect.poll(() => page.getByTestId('problem-count').getAttribute('class')).toContain('ok');
    await page.getByRole('button', { name: /^Опубликовать/ }).click();
    await page.getByRole('dialog', { name: 'Публикация' }).getByRole('button', { name: 'Опубликовать черновик' }).click();
    await expect.poll(async () => (await t.app.db.db.selectFrom('flow_triggers').select(['event_type', 'flow_version']).where('flow_id', '=', flowId).execute()))
      .toEqual([{ event_type: 'booking.completed', flow_version: 1 }]);
    expect(consoleErrors).toEqual([]);
  });
});
