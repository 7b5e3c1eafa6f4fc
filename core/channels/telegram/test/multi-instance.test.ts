import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { BotApiStandIn } from '../../../../test/helpers/bot-api-standin.js';
import { en, graph } from '../../../flow/test/graph-builder.js';

// Two server instances behind one PUBLIC_URL share the database; Telegram's webhook call may
// reach the one that did not create the bot.
const TOKEN = '800011:multi-token-dddddddddddddddddddd';
const secretKey = crypto.randomBytes(32).toString('hex');
let standin: BotApiStandIn;
let a: TestApp;
let b: TestApp;
let owner: string;

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  const config = { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test', secretKey };
  a = await startTestApp({ config });
  b = await startTestApp({ config, databaseUrl: a.databaseUrl, seedDemo: false });
  owner = await a.login(a.owner.email, a.owner.password);
  expect((await a.api('POST', '/api/v1/tenants', { token: owner, body: { slug: 'multi', name: 'Multi Spa', timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' } })).status).toBe(201);
  const flow = graph([['start', 'trigger.command', { command: '/start' }], ['hi', 'message', { text: en('Hello from the flow') }], ['fin', 'end', {}]], ['start.next>hi', 'hi.next>fin']);
  const created = await a.api('POST', '/api/v1/flows', { token: owner, tenant: 'multi', body: { key: 'main', name: 'Main', graph: flow } });
  expect((await a.api('POST', `/api/v1/flows/${created.body.id}/publish`, { token: owner, tenant: 'multi' })).status).toBe(200);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await standin?.close();
});

describe('a bot created on one instance', () => {
  it('is served by another instance that receives its webhook', async () => {
    const res = await a.api('POST', '/api/v1/bots', { token: owner, tenant: 'multi', body: { name: 'Multi bot', token: TOKEN } });
    expect(res.status).toBe(201);
    standin.webhookTarget = b.url;
    const sent = await standin.deliver(TOKEN, { message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'Ann' }, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } });
    expect(sent.status).toBe(200);
    expect((await standin.waitForSent(4242, 1)).map((m) => m.text)).toEqual(['Hello from the flow']);
  });

  it('still refuses a wrong secret there', async () => {
    const bot = (await a.api('GET', '/api/v1/bots', { token: owner, tenant: 'multi' })).body.items[0];
    const res = await fetch(`${b.url}/telegram/${bot.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' }, body: JSON.stringify({ update_id: 1 }) });
    expect(res.status).toBe(401);
    const unknown = await fetch(`${b.url}/telegram/${crypto.randomUUID()}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' }, body: JSON.stringify({ update_id: 1 }) });
    expect(unknown.status).toBe(404);
  });
});
