/**
 * The morning's tasks in the Russian studio (Chromium): a sleeping guest's task writes to her through the outbox and
 * opens the desk's booking form in the journal with her chosen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';

let t: TestApp;
let s: StudioBrowser;
let token: string;
const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant: 'demo', body });

beforeAll(async () => {
  t = await startTestApp({ plugins: ['crm'] });
  token = await t.login(t.owner.email, t.owner.password);
  expect((await api('POST', '/api/v1/crm/tasks/run')).status).toBe(200);
  s = await openStudio(t, { viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
  await s.signInRu(t.owner.email, t.owner.password);
}, 120_000);
afterAll(async () => {
  await s?.close();
  await t?.close();
});

describe('a task\'s actions', () => {
  it('writes to the sleeping guest and opens her booking at the desk', async () => {
    const tasks = (await api('GET', '/api/v1/tasks?limit=200')).body.items as Array<{ kind: string; contactId: string }>;
    const sleeping = tasks.find((x) => x.kind === 'sleeping')!;
    expect(sleeping).toBeDefined();
    const page = s.page;
    await page.goto(`${t.url}/studio/tasks`);
    const card = page.locator('[data-task-kind="sleeping"]').first();
    await card.getByRole('button', { name: 'Написать' }).click();
    await card.getByLabel('Сообщение клиенту').fill('Соскучились! Ждём вас на массаж.');
    await card.getByRole('button', { name: 'Отправить' }).click();
    await card.getByLabel('Сообщение клиенту').waitFor({ state: 'detached' });
    const contactId = await card.getByRole('link', { name: 'Записать' }).getAttribute('href').then((h) => new URL(h!, t.url).searchParams.get('client'));
    await expect.poll(async () => ((await api('GET', `/api/v1/contacts/${contactId}/messages?limit=30`)).body.items as Array<{ text?: string; content?: { text?: unknown } }>)
      .some((m) => JSON.stringify(m).includes('Соскучились'))).toBe(true);
    await card.getByRole('link', { name: 'Записать' }).click();
    await page.waitForURL(/\/studio\/booking\/journal\?client=/);
    const name = (await api('GET', `/api/v1/contacts/${contactId}`)).body.name as string;
    // The journal asks for a free time to book her at.
    await page.getByRole('status').filter({ hasText: name }).waitFor();
    expect(s.errors).toEqual([]);
  });
});
