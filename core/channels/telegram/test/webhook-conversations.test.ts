import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../../test/helpers/bot-api-standin.js';
import { until } from '../../../../test/helpers/wait.js';
import { en, graph } from '../../../flow/test/graph-builder.js';

// A business's own bot in webhook mode: the stand-in posts updates to PUBLIC_URL/telegram/<botId>
// (forwarded to the test server as a reverse proxy would) with the secret header.
const TOKEN = '800002:hooks-token-bbbbbbbbbbbbbbbbbbbb';
const HTTP_DOWN = 'http://127.0.0.1:9/';
const secretKey = crypto.randomBytes(32).toString('hex');
let standin: BotApiStandIn;
let t: TestApp;
let owner: string;
let botId: string;
let mainId: string;
const call = (method: string, path: string, body?: unknown) => t.api(method, path, { token: owner, tenant: 'hooks', body });
const texts = (chat: number) => standin.sent(chat).map((m) => m.text ?? m.caption);

const main = (gotText: string) => graph([
  ['start', 'trigger.command', { command: '/start' }],
  ['pick', 'choice', { text: en('Pick one'), buttons: [{ id: 'a', label: en('Alpha') }, { id: 'b', label: en('Beta') }] }],
  ['echo', 'message', { text: en('You wrote: {{lastInput}}') }],
  ['count', 'input', { kind: 'number', saveAs: 'count', min: 1, max: 10, text: en('How many?'), retryText: en('A number from 1 to 10, please') }],
  ['got', 'message', { text: en(gotText) }],
  ['beta', 'message', { text: en('Beta it is'), photo: 'https://example.com/beta.jpg' }],
  ['fin', 'end', {}],
  ['wait-cmd', 'trigger.command', { command: '/wait' }],
  ['w', 'wait', { delay: { amount: 1, unit: 'seconds' } }],
  ['long-wait-cmd', 'trigger.command', { command: '/later' }],
  ['w3', 'wait', { delay: { amount: 3, unit: 'seconds' } }],
  ['waited', 'message', { text: en('Waited') }],
  ['nudge-cmd', 'trigger.command', { command: '/nudge' }],
  ['arm', 'timeout', { after: { amount: 1, unit: 'seconds' } }],
  ['q', 'choice', { text: en('Still here?'), buttons: [{ id: 'yes', label: en('Yes') }] }],
  ['nudge', 'message', { text: en('Are you still there?') }],
  ['broken-cmd', 'trigger.command', { command: '/broken' }],
  ['h', 'http', { method: 'GET', url: HTTP_DOWN }],
  ['never', 'message', { text: en('never') }],
  ['safe-cmd', 'trigger.command', { command: '/safe' }],
  ['h2', 'http', { method: 'GET', url: HTTP_DOWN, timeoutMs: 2000 }],
  ['oops', 'message', { text: en('Handled: {{lastError}}') }],
  ['loop-cmd', 'trigger.command', { command: '/loop' }],
  ['s1', 'set', { assignments: [{ var: 'n', value: 1 }] }],
  ['c1', 'condition', { rules: [{ id: 'again', label: en('Again'), all: [{ var: 'n', op: 'eq', value: 1 }] }] }],
  ['other-cmd', 'trigger.command', { command: '/other' }],
  ['j', 'jump', { flowKey: 'second' }],
  ['ref', 'trigger.deeplink', { prefix: 'ref', saveAs: 'referrer' }],
  ['refmsg', 'message', { text: en('Invited by {{referrer}}') }],
  ['promo', 'trigger.keyword', { keywords: ['promo'] }],
  ['promomsg', 'message', { text: en('-20% on manicure this week') }],
  ['human-cmd', 'trigger.command', { command: '/human' }],
  ['ho', 'handoff', { note: 'asked for a human' }],
], [
  'start.next>pick', 'pick.a>count', 'pick.b>beta', 'pick.fallback>echo', 'echo.next>pick', 'count.next>got', 'got.next>fin', 'beta.next>fin',
  'wait-cmd.next>w', 'w.next>waited', 'waited.next>fin', 'long-wait-cmd.next>w3', 'w3.next>waited',
  'nudge-cmd.next>arm', 'arm.next>q', 'arm.timeout>nudge', 'q.yes>fin', 'nudge.next>fin',
  'broken-cmd.next>h', 'h.next>never', 'never.next>fin',
  'safe-cmd.next>h2', 'h2.next>fin', 'h2.error>oops', 'oops.next>fin',
  'loop-cmd.next>s1', 's1.next>c1', 'c1.again>s1', 'c1.else>fin',
  'other-cmd.next>j', 'ref.next>refmsg', 'refmsg.next>fin', 'promo.next>promomsg', 'promomsg.next>fin', 'human-cmd.next>ho',
], [{ name: 'count', type: 'number' }, { name: 'n', type: 'number' }, { name: 'referrer', type: 'string' }]);

const second = graph([['start', 'trigger.command', { command: '/start' }], ['hi', 'message', { text: en('Second flow here') }], ['fin', 'end', {}]], ['start.next>hi', 'hi.next>fin']);

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test', secretKey } });
  standin.webhookTarget = t.url;
  owner = await t.login(t.owner.email, t.owner.password);
  expect((await t.api('POST', '/api/v1/tenants', { token: owner, body: { slug: 'hooks', name: 'Hooks Spa', timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' } })).status).toBe(201);
  const second_ = await call('POST', '/api/v1/flows', { key: 'second', name: 'Second', graph: second });
  expect((await call('POST', `/api/v1/flows/${second_.body.id}/publish`)).status).toBe(200);
  const created = await call('POST', '/api/v1/flows', { key: 'main', name: 'Main', graph: main('Got {{count}}') });
  expect(created.status).toBe(201);
  mainId = created.body.id;
  const published = await call('POST', `/api/v1/flows/${mainId}/publish`);
  expect(published.body, JSON.stringify(published.body)).toEqual({ version: 1 });
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('a business bot over webhooks', () => {
  it('connecting a bot checks the token with getMe, seals it, and sets the webhook with a secret', async () => {
    standin.revoked.add('800010:revoked-token-cccccccccccccccccc');
    const revoked = await call('POST', '/api/v1/bots', { name: 'Revoked', token: '800010:revoked-token-cccccccccccccccccc' });
    expect(revoked.status).toBe(400);
    expect(revoked.body.code).toBe('BF_ERR_BOT_TOKEN_INVALID');

    const res = await call('POST', '/api/v1/bots', { name: 'Hooks bot', token: TOKEN });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: 'bot800002_bot', status: 'active', mode: 'webhook', flowKey: 'main' });
    expect(JSON.stringify(res.body)).not.toContain('hooks-token');
    botId = res.body.id;
    const hook = standin.webhookOf(TOKEN)!;
    expect(hook.url).toBe(`https://bots.example.test/telegram/${botId}`);
    expect(hook.secret).toMatch(/^[a-f0-9]{48}$/);
    const row = await t.app.db.db.selectFrom('bots').select('token_sealed').where('id', '=', botId).executeTakeFirstOrThrow();
    expect(String(row.token_sealed)).not.toContain('hooks-token');
    expect((await call('POST', '/api/v1/bots', { name: 'Twice', token: TOKEN })).body.code).toBe('BF_ERR_BOT_TOKEN_TAKEN');
  });

  it('refuses a webhook call without the right secret', async () => {
    const res = await fetch(`${t.url}/telegram/${botId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' }, body: JSON.stringify({ update_id: 1 }) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('BF_ERR_BOT_WEBHOOK_FORBIDDEN');
  });

  it('buttons, the free-text fallback port, and number input with re-ask', async () => {
    expect((await standin.text(TOKEN, 11, '/start')).status).toBe(200);
    const [pick] = await standin.waitForSent(11, 1);
    expect(pick.text).toBe('Pick one');
    expect(inlineButtons(pick).map((b) => b.text)).toEqual(['Alpha', 'Beta']);

    await standin.text(TOKEN, 11, 'hello there');
    await standin.waitForSent(11, 3);
    expect(texts(11).slice(1, 3)).toEqual(['You wrote: hello there', 'Pick one']);

    const alpha = inlineButtons(standin.sent(11)[2]).find((b) => b.text === 'Alpha')!;
    await standin.press(TOKEN, 11, alpha.callback_data);
    await standin.waitForSent(11, 4);
    await standin.text(TOKEN, 11, '42');
    await standin.waitForSent(11, 5);
    await standin.text(TOKEN, 11, 'seven');
    await standin.waitForSent(11, 6);
    await standin.text(TOKEN, 11, '7');
    await standin.waitForSent(11, 7);
    expect(texts(11).slice(3)).toEqual(['How many?', 'A number from 1 to 10, please', 'A number from 1 to 10, please', 'Got 7']);
  });

  it('a typed button label counts as pressing it; a photo message goes out with sendPhoto', async () => {
    await standin.text(TOKEN, 12, '/start');
    await standin.waitForSent(12, 1);
    await standin.text(TOKEN, 12, 'beta');
    const [, photo] = await standin.waitForSent(12, 2);
    expect(photo).toMatchObject({ photo: 'https://example.com/beta.jpg', caption: 'Beta it is' });
  });

  it('handles one chat’s updates one at a time: of ten simultaneous presses of a button only the first acts', async () => {
    await standin.text(TOKEN, 21, '/start');
    const [pick] = await standin.waitForSent(21, 1);
    const alpha = inlineButtons(pick).find((b) => b.text === 'Alpha')!.callback_data;
    const answered = standin.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    const results = await Promise.all(Array.from({ length: 10 }, () => standin.press(TOKEN, 21, alpha)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    await until('all ten answered', () => standin.calls.filter((c) => c.method === 'answerCallbackQuery').length >= answered + 10);
    const answers = standin.calls.filter((c) => c.method === 'answerCallbackQuery').slice(answered);
    expect(answers.filter((c) => c.payload.text === 'This choice is no longer current')).toHaveLength(9);
    await standin.text(TOKEN, 21, '5');
    await standin.waitForSent(21, 3);
    expect(texts(21)).toEqual(['Pick one', 'How many?', 'Got 5']);
  });

  it('deep links carry a referral payload; keywords start a flow outside a dialog', async () => {
    await standin.text(TOKEN, 22, '/start ref-anna');
    await standin.waitForSent(22, 1);
    expect(texts(22)).toEqual(['Invited by ref-anna']);
    await standin.text(TOKEN, 22, 'any promo today?');
    await standin.waitForSent(22, 2);
    expect(texts(22)[1]).toBe('-20% on manicure this week');
  });

  it('hands off to a human: the staff chat is notified, the bot stays quiet and forwards the client’s words', async () => {
    expect((await call('PATCH', `/api/v1/bots/${botId}`, { staffChatId: '-100500' })).body.staffChatId).toBe('-100500');
    await standin.text(TOKEN, 23, '/human');
    await standin.waitForSent(23, 1);
    expect(texts(23)).toEqual(['An administrator will reply to you shortly.']);
    await standin.waitForSent(-100500, 1);
    expect(standin.sent(-100500)[0].text).toContain('Client23');
    await standin.text(TOKEN, 23, 'I need to move my booking');
    await standin.waitForSent(-100500, 2);
    expect(standin.sent(-100500)[1].text).toBe('Message from Client23: I need to move my booking');
    expect(texts(23)).toHaveLength(1);
    const events = await t.app.db.db.selectFrom('outbox').select('type').where('type', 'like', 'flow.handoff%').execute();
    expect(events.map((e) => e.type).sort()).toEqual(['flow.handoff', 'flow.handoff-message']);
  });

  it('acts on a redelivered update once', async () => {
    const first = await standin.text(TOKEN, 13, '/start');
    const again = await standin.deliver(TOKEN, first.update);
    expect([first.status, again.status]).toEqual([200, 200]);
    await standin.waitForSent(13, 1);
    await standin.text(TOKEN, 13, '/other'); // a later update flushes the chat's queue
    await standin.waitForSent(13, 2);
    expect(texts(13)).toEqual(['Pick one', 'Second flow here']);
  });

  it('a wait node resumes later through the durable job; a no-reply timeout follows its port', async () => {
    await standin.text(TOKEN, 14, '/wait');
    expect(await until('waited', () => texts(14).includes('Waited'))).toBe(true);

    await standin.text(TOKEN, 15, '/nudge');
    await standin.waitForSent(15, 2);
    expect(texts(15)).toEqual(['Still here?', 'Are you still there?']);
    // The question's buttons went stale when the timeout moved the dialog on.
    const answered = standin.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    await standin.press(TOKEN, 15, inlineButtons(standin.sent(15)[0])[0].callback_data);
    await until('stale press answered', () => standin.calls.filter((c) => c.method === 'answerCallbackQuery').length > answered);
    expect(standin.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!.payload.text).toBe('This choice is no longer current');
  });

  it('a failing node follows its error port, or the client gets a friendly fallback; the loop guard ends a runaway turn', async () => {
    await standin.text(TOKEN, 16, '/broken');
    await standin.waitForSent(16, 1);
    expect(texts(16)[0]).toMatch(/^Sorry, something went wrong/);

    await standin.text(TOKEN, 16, '/safe');
    await standin.waitForSent(16, 2);
    expect(texts(16)[1]).toMatch(/^Handled: Node h2 of flow .+ failed: /);

    await standin.text(TOKEN, 16, '/loop');
    await standin.waitForSent(16, 3);
    expect(texts(16)[2]).toMatch(/^Sorry, something went wrong/);
  });

  it('retries a send that Telegram answers with 429 after retry_after', async () => {
    standin.failNext('sendMessage', 1);
    await standin.text(TOKEN, 17, '/start');
    const [pick] = await standin.waitForSent(17, 1);
    expect(pick.text).toBe('Pick one');
    const sends = standin.calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === '17');
    expect(sends.map((c) => c.status)).toEqual([429, 200]);
  });

  it('a session keeps the flow version it started with; new sessions get the published one; rollback restores the old one', async () => {
    await standin.text(TOKEN, 18, '/start');
    await standin.waitForSent(18, 1);
    await standin.press(TOKEN, 18, inlineButtons(standin.sent(18)[0])[0].callback_data);
    await standin.waitForSent(18, 2);

    expect((await call('PUT', `/api/v1/flows/${mainId}/draft`, { graph: main('Version two: {{count}}') })).body.errors).toEqual([]);
    expect((await call('POST', `/api/v1/flows/${mainId}/publish`)).body).toEqual({ version: 2 });

    await standin.text(TOKEN, 18, '3');
    await standin.waitForSent(18, 3);
    expect(texts(18)[2]).toBe('Got 3');

    const converse = async (chat: number) => {
      await standin.text(TOKEN, chat, '/start');
      await standin.waitForSent(chat, 1);
      await standin.press(TOKEN, chat, inlineButtons(standin.sent(chat)[0])[0].callback_data);
      await standin.waitForSent(chat, 2);
      await standin.text(TOKEN, chat, '4');
      return (await standin.waitForSent(chat, 3))[2].text;
    };
    expect(await converse(19)).toBe('Version two: 4');
    expect((await call('POST', `/api/v1/flows/${mainId}/rollback`, { version: 1 })).status).toBe(200);
    expect(await converse(20)).toBe('Got 4');
    const versions = await call('GET', `/api/v1/flows/${mainId}/versions`);
    expect(versions.body.items.map((v: any) => [v.version, v.current])).toEqual([[2, false], [1, true]]);
  });

  it('publishing updates the bot\'s menu per language from the live flows\' menu triggers; none left removes it', async () => {
    const menuCalls = () => standin.calls.filter((c) => c.token === TOKEN && (c.method === 'setMyCommands' || c.method === 'deleteMyCommands') && c.status === 200);
    const before = menuCalls().length;
    const prices = (type: string) => graph([
      ['prices', type, { command: '/prices', ...(type === 'trigger.menu' ? { description: { en: 'Prices', ru: 'Цены', uk: 'Ціни' } } : {}) }],
      ['list', 'message', { text: en('Price list') }], ['fin', 'end', {}],
    ], ['prices.next>list', 'list.next>fin']);
    const flow = await call('POST', '/api/v1/flows', { key: 'prices', name: 'Prices', graph: prices('trigger.menu') });
    expect((await call('POST', `/api/v1/flows/${flow.body.id}/publish`)).body).toEqual({ version: 1 });
    await until('the menu to be set', async () => menuCalls().length >= before + 3);
    expect(menuCalls().slice(before).map((c) => [c.method, c.payload.language_code ?? null, c.payload.commands])).toEqual([
      ['setMyCommands', null, [{ command: 'prices', description: 'Prices' }]],
      ['setMyCommands', 'ru', [{ command: 'prices', description: 'Цены' }]],
      ['setMyCommands', 'uk', [{ command: 'prices', description: 'Ціни' }]],
    ]);

    expect((await call('PUT', `/api/v1/flows/${flow.body.id}/draft`, { graph: prices('trigger.command') })).body.errors).toEqual([]);
    expect((await call('POST', `/api/v1/flows/${flow.body.id}/publish`)).body).toEqual({ version: 2 });
    await until('the menu to be removed', async () => menuCalls().length >= before + 6);
    expect(menuCalls().slice(before + 3).map((c) => [c.method, c.payload.language_code ?? null])).toEqual([['deleteMyCommands', null], ['deleteMyCommands', 'ru'], ['deleteMyCommands', 'uk']]);
    expect((await call('DELETE', `/api/v1/flows/${flow.body.id}`)).status).toBe(204);
  });

  it('a pending wait survives a restart: the next process sends the message', async () => {
    await standin.text(TOKEN, 24, '/later');
    await until('the wait is parked', async () => (await t.app.db.db.selectFrom('flow_sessions').select('waiting').where('conversation_key', '=', `tg:${botId}:24`).executeTakeFirst())?.waiting === 'timer');
    await t.close();
    t = await startTestApp({ databaseUrl: t.databaseUrl, config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test', secretKey } });
    standin.webhookTarget = t.url;
    await standin.waitForSent(24, 1);
    expect(texts(24)).toEqual(['Waited']);
    // The new process set the webhook again and answers on it.
    await standin.text(TOKEN, 24, '/other');
    await standin.waitForSent(24, 2);
    expect(texts(24)[1]).toBe('Second flow here');
  });
});
