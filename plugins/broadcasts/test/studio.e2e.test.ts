/**
 * The Broadcasts page in Chromium against the real server and the Bot API stand-in: a draft written with a text per
 * language, a photo and a link button reaches the API as such, and "Send a test to me" puts it in the owner's linked
 * Telegram chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons } from '../../../test/helpers/bot-api-standin.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';
import { until } from '../../../test/helpers/wait.js';
import { linkStaffChat } from './link-staff.js';

const TOKEN = '800503:broadcast-studio-token-aaaaaaaaaaa';
const OWNER_CHAT = 96_001;
let standin: BotApiStandIn;
let t: TestApp;
let s: StudioBrowser;
let owner: string;
const call = (method: string, path: string, body?: unknown) => t.api(method, path, { token: owner, tenant: 'demo', body });

describe('the Broadcasts page', () => {
  beforeAll(async () => {
    standin = await BotApiStandIn.start();
    t = await startTestApp({ plugins: ['broadcasts', 'notifications'], config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test' } });
    standin.webhookTarget = t.url;
    owner = await t.login(t.owner.email, t.owner.password);
    expect((await call('POST', '/api/v1/bots', { name: 'Studio bot', token: TOKEN })).status).toBe(201);
    await linkStaffChat(t, owner, standin, TOKEN, OWNER_CHAT);
    expect((await call('POST', '/api/v1/segments', { name: 'Spring clients', rule: { field: 'tags', op: 'contains', value: 'spring' } })).status).toBe(201);
    s = await openStudio(t);
    await s.signIn(t.owner.email, t.owner.password);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await t?.close();
    await standin?.close();
  });

  it('creates a draft with a text per language, a photo and a link button', async () => {
    await s.page.getByRole('navigation').getByRole('link', { name: /Broadcasts/ }).click();
    const form = s.page.getByRole('form', { name: 'New campaign' });
    await form.waitFor();
    await form.getByLabel('Name').fill('Spring');
    await form.getByLabel('Segments').selectOption({ label: 'Spring clients' });
    // The demo business speaks Russian: its text comes first and is required.
    const tags = form.locator('.lang-tag');
    expect(await tags.allTextContents()).toEqual(['RU*', 'EN', 'UK']);
    await form.getByLabel('RU*').fill('Весеннее предложение');
    await form.getByLabel('EN', { exact: true }).fill('Spring offer');
    await form.getByLabel('Photo (an https link, optional)').fill('https://cdn.example.test/spring.jpg');
    await form.getByRole('button', { name: 'Add a link button' }).click();
    await form.getByLabel('Button 1: label').fill('Prices');
    await form.getByLabel('Button 1: address').fill('https://example.test/prices');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await s.page.getByRole('region', { name: 'Spring' }).getByTestId('campaign-status').getByText('Draft').waitFor();

    const [made] = (await call('GET', '/api/v1/broadcasts')).body.items;
    expect(made).toMatchObject({ name: 'Spring', status: 'draft', message: {
      text: { ru: 'Весеннее предложение', en: 'Spring offer' }, photoUrl: 'https://cdn.example.test/spring.jpg',
      buttons: [{ label: 'Prices', url: 'https://example.test/prices' }, { label: { en: 'Book', ru: 'Записаться', uk: 'Записатися' }, flow: { flowKey: 'booking' } }],
    } });
    expect(made.message.text.uk).toBeUndefined();
  });

  it('sends a test of it to the owner\'s linked Telegram', async () => {
    const campaign = s.page.getByRole('region', { name: 'Spring' });
    const before = standin.sent(OWNER_CHAT).length;
    await campaign.getByRole('button', { name: 'Send a test to me' }).click();
    await campaign.getByRole('status').getByText('The test is on its way to your Telegram.').waitFor();
    const test = await until('the test in the owner\'s chat', () => standin.sent(OWNER_CHAT).slice(before).find((m) => m.photo === 'https://cdn.example.test/spring.jpg'));
    expect(test.caption).toBe('Весеннее предложение');
    expect(inlineButtons(test).map((b) => b.text)).toEqual(['Prices', 'Записаться']);
  });

  it('logged no console errors', () => {
    expect(s.errors).toEqual([]);
  });
});
