/**
 * "Send a test to me": a campaign's message (text, photo, buttons) reaches the asking member's own Telegram chat,
 * linked through notifications as the studio has members do it (a one-time code in the bot's deep link), through the
 * real app and the Bot API stand-in; nobody in the audience gets it, and a member with no linked chat is told why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons } from '../../../test/helpers/bot-api-standin.js';
import { until } from '../../../test/helpers/wait.js';
import { linkStaffChat } from './link-staff.js';

const TOKEN = '800502:broadcast-test-token-aaaaaaaaaaaaa';
const OWNER_CHAT = 95_001;
const CLIENT_CHAT = '95002';
let standin: BotApiStandIn;
let t: TestApp;
let owner: string;
const call = (method: string, path: string, body?: unknown, token = owner) => t.api(method, path, { token, tenant: 'demo', body });

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ plugins: ['broadcasts', 'notifications'], config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test' } });
  standin.webhookTarget = t.url;
  owner = await t.login(t.owner.email, t.owner.password);
  const botId = (await call('POST', '/api/v1/bots', { name: 'Test bot', token: TOKEN })).body.id;
  await linkStaffChat(t, owner, standin, TOKEN, OWNER_CHAT);
  // A client in the campaign's segment, who must not get the test.
  const db = t.app.db.db;
  const c = await db.insertInto('contacts').values({ tenant_id: t.demoTenantId, name: 'Client', tags: ['spring'], consent: JSON.stringify({ marketing: { granted: true, at: new Date(0).toISOString(), source: 'test' } }) }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('contact_identities').values({ tenant_id: t.demoTenantId, contact_id: c.id, kind: 'telegram', value: CLIENT_CHAT, bot_id: botId, verified: true }).execute();
}, 120_000);
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('a test of a campaign', () => {
  let id: string;

  it('goes to the asking member\'s linked chat with its photo and buttons, and the draft stays a draft', async () => {
    const segmentId = (await call('POST', '/api/v1/segments', { name: 'spring', rule: { field: 'tags', op: 'contains', value: 'spring' } })).body.id;
    const created = await call('POST', '/api/v1/broadcasts', {
      name: 'Spring', segmentIds: [segmentId],
      message: {
        text: { en: 'Spring offer', ru: 'Весеннее предложение' }, photoUrl: 'https://cdn.example.test/spring.jpg',
        buttons: [{ label: { en: 'Prices', ru: 'Цены' }, url: 'https://example.test/prices' }, { label: { en: 'Book', ru: 'Записаться' }, flow: { flowKey: 'booking' } }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    id = created.body.id;
    const before = standin.sent(OWNER_CHAT).length;
    const res = await call('POST', `/api/v1/broadcasts/${id}/test`);
    expect(res).toMatchObject({ status: 202, body: { queued: 1 } });
    const test = await until('the test in the owner\'s chat', () => standin.sent(OWNER_CHAT).slice(before).find((m) => m.photo === 'https://cdn.example.test/spring.jpg'));
    // The demo business speaks Russian; a transactional test carries no unsubscribe button.
    expect(test.caption).toBe('Весеннее предложение');
    expect(inlineButtons(test).map((b) => b.text)).toEqual(['Цены', 'Записаться']);
    expect(test.reply_markup.inline_keyboard.flat()[0]).toEqual({ text: 'Цены', url: 'https://example.test/prices' });
    // A second press is a second test.
    expect((await call('POST', `/api/v1/broadcasts/${id}/test`)).status).toBe(202);
    await until('the second test', () => standin.sent(OWNER_CHAT).slice(before).filter((m) => m.photo).length === 2);
    expect(await call('GET', `/api/v1/broadcasts/${id}`)).toMatchObject({ body: { status: 'draft', counts: { recipients: 0 } } });
    expect(standin.sent(CLIENT_CHAT)).toEqual([]);
  });

  it('tells a member with no linked chat why, and answers 404 for an unknown campaign', async () => {
    const manager = await t.addMember(owner, 'manager@broadcasts.test', 'manager');
    expect(await call('POST', `/api/v1/broadcasts/${id}/test`, undefined, manager.token)).toMatchObject({ status: 409, body: { code: 'BF_ERR_BROADCAST_TEST_UNAVAILABLE' } });
    expect(await call('POST', '/api/v1/broadcasts/00000000-0000-4000-8000-000000000000/test')).toMatchObject({ status: 404, body: { code: 'BF_ERR_BROADCAST_NOT_FOUND' } });
    expect((await call('POST', '/api/v1/broadcasts/not-a-uuid/test')).status).toBe(400);
  });

  it('with notifications off, there is no linked chat to send to', async () => {
    expect((await call('PUT', '/api/v1/plugins/notifications/enabled', { enabled: false })).status).toBe(200);
    expect(await call('POST', `/api/v1/broadcasts/${id}/test`)).toMatchObject({ status: 409, body: { code: 'BF_ERR_BROADCAST_TEST_UNAVAILABLE' } });
  });
});
