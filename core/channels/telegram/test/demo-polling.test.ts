import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../../test/helpers/bot-api-standin.js';
import { until } from '../../../../test/helpers/wait.js';

// The demo business's bot over long polling (no PUBLIC_URL), driven through the Bot API stand-in.
const TOKEN = '700001:demo-token-aaaaaaaaaaaaaaaaaaaa';
const secretKey = crypto.randomBytes(32).toString('hex');
let standin: BotApiStandIn;
let t: TestApp;

const start = (databaseUrl?: string) => startTestApp({ databaseUrl, config: { telegramApiRoot: standin.url, telegramBotToken: TOKEN, secretKey } });

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await start();
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('demo bot over long polling', () => {
  it('binds TELEGRAM_BOT_TOKEN to the demo bot, polls getUpdates and answers /start with the menu', async () => {
    expect(standin.calls.some((c) => c.method === 'getMe' && c.token === TOKEN)).toBe(true);
    expect(standin.calls.some((c) => c.method === 'deleteWebhook' && c.token === TOKEN)).toBe(true);
    await standin.text(TOKEN, 501, '/start', { language: 'ru' });
    const [welcome, menu] = await standin.waitForSent(501, 2);
    expect(welcome.text).toContain('Demo Beauty & Spa');
    expect(menu.text).toBe('Чем можем помочь?');
    expect(inlineButtons(menu).map((b) => b.text)).toEqual(['💇‍♀️ Услуги и цены', '📅 Записаться', '⭐ Мои баллы', '🎁 Пригласить друга', '📞 Перезвоните мне', '📍 Адрес и часы работы', '💬 Связаться с администратором']);
    for (const b of inlineButtons(menu)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    expect(standin.calls.some((c) => c.method === 'getUpdates')).toBe(true);
    const bots = await t.api('GET', '/api/v1/bots', { token: await t.login(t.owner.email, t.owner.password) });
    expect(bots.body.items).toEqual([expect.objectContaining({ username: 'bot700001_bot', status: 'active', mode: 'polling', flowKey: 'main' })]);
  });

  it('answers in English for an English-speaking client and registers the menu command', async () => {
    await standin.text(TOKEN, 502, '/start', { language: 'en' });
    const [, menu] = await standin.waitForSent(502, 2);
    expect(menu.text).toBe('How can we help you?');
    expect(standin.calls.some((c) => c.method === 'setMyCommands' && c.payload.commands?.[0]?.command === 'menu')).toBe(true);
  });

  it('a pressed button is answered, its keyboard removed, and the flow follows the button’s port', async () => {
    const menu = standin.sent(501).at(-1)!;
    const prices = inlineButtons(menu).find((b) => b.text.includes('цены'))!;
    await standin.press(TOKEN, 501, prices.callback_data);
    const after = await standin.waitForSent(501, 4);
    expect(after[2].text).toContain('Женская стрижка');
    expect(after[3].text).toBe('Чем можем помочь?');
    await until('callback answered', () => standin.calls.some((c) => c.method === 'answerCallbackQuery' && c.status === 200));
    await until('keyboard removed', () => standin.calls.some((c) => c.method === 'editMessageReplyMarkup'));
  });

  it('asks for a phone with contact sharing, re-asks on a wrong answer, and a stale button is answered gracefully', async () => {
    const menu = standin.sent(501).at(-1)!;
    await standin.press(TOKEN, 501, inlineButtons(menu).find((b) => b.text.includes('Перезвоните'))!.callback_data);
    const [ask] = (await standin.waitForSent(501, 5)).slice(4);
    expect(ask.text).toContain('номер телефона');
    expect(ask.reply_markup.keyboard[0][0]).toMatchObject({ request_contact: true });

    const answered = standin.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    await standin.press(TOKEN, 501, inlineButtons(menu)[0].callback_data);
    await until('stale button answered', () => standin.calls.filter((c) => c.method === 'answerCallbackQuery').length > answered);
    const stale = standin.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!;
    expect(stale.payload.text).toBe('Этот выбор уже неактуален');

    await standin.text(TOKEN, 501, 'завтра вечером');
    const [retry] = (await standin.waitForSent(501, 6)).slice(5);
    expect(retry.text).toContain('не номер телефона');
    expect(retry.reply_markup.keyboard[0][0].request_contact).toBe(true);
  });

  it('resumes the session after a restart in the middle of the flow; an update seen before the restart is not acted on twice', async () => {
    await t.close();
    // While the server is down the client answers; the new process picks it up through getUpdates.
    await standin.contact(TOKEN, 501, '+7 900 123-45-67');
    t = await start(t.databaseUrl);
    const [done] = (await standin.waitForSent(501, 7)).slice(6);
    expect(done.text).toBe('Спасибо! Мы перезвоним на номер +79001234567 в течение 15 минут в рабочее время.');
    expect(done.reply_markup).toEqual({ remove_keyboard: true });

    // Telegram may hand the same update to the next getUpdates (e.g. after a crash before the offset was confirmed).
    const seen = await t.app.db.db.selectFrom('telegram_updates').select('update_id').orderBy('update_id', 'desc').executeTakeFirstOrThrow();
    await standin.deliver(TOKEN, { update_id: seen.update_id, message: { message_id: 99, date: 0, chat: { id: 501, type: 'private' }, from: { id: 501, is_bot: false, first_name: 'Client501' }, contact: { phone_number: '+79001234567', first_name: 'Client501', user_id: 501 } } });
    // The bot confirms an update by asking for the next offset, after it has handled it.
    await until('the redelivered update was fetched and confirmed', () => standin.pending(TOKEN) === 0);
    expect(standin.sent(501)).toHaveLength(7);
  });

  it('runs a second bot in the same process next to the demo bot, each with its own polling loop', async () => {
    const second = '700002:second-token-aaaaaaaaaaaaaaaaaa';
    const owner = await t.login(t.owner.email, t.owner.password);
    const res = await t.api('POST', '/api/v1/bots', { token: owner, body: { name: 'Second desk', token: second } });
    expect(res.body).toMatchObject({ status: 'active', mode: 'polling' });
    await Promise.all([standin.text(second, 601, '/start'), standin.text(TOKEN, 602, '/start')]);
    const [[, a], [, b]] = await Promise.all([standin.waitForSent(601, 2), standin.waitForSent(602, 2)]);
    expect([a.text, b.text]).toEqual(['How can we help you?', 'How can we help you?']);
    expect(standin.calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === '601').every((c) => c.token === second)).toBe(true);
    expect(standin.calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === '602').every((c) => c.token === TOKEN)).toBe(true);

    // Switched off, it stops polling; switched on again, it answers again.
    expect((await t.api('PATCH', `/api/v1/bots/${res.body.id}`, { token: owner, body: { enabled: false } })).body).toMatchObject({ mode: 'off', status: 'off' });
    expect((await t.api('PATCH', `/api/v1/bots/${res.body.id}`, { token: owner, body: { enabled: true } })).body).toMatchObject({ mode: 'polling', status: 'active' });
    await standin.text(second, 601, '/menu');
    await standin.waitForSent(601, 3);
  });
});
