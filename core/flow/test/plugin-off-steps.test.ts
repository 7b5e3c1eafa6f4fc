/**
 * An owner switches a plugin off after its steps were published in the bot: the demo bot's menu stops showing the
 * buttons that lead to them, a button pressed from an older menu says the section is unavailable (not "something
 * went wrong"), and switching the plugin on again brings the buttons back. Through the Bot API stand-in.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../test/helpers/bot-api-standin.js';

const TOKEN = '700931:plugin-off-token-aaaaaaaaaaaaaaaa';
const CHAT = 9311;
const MENU = 'Чем можем помочь?';
const POINTS = '⭐ Мои баллы';
const INVITE = '🎁 Пригласить друга';
let standin: BotApiStandIn;
let t: TestApp;
let token: string;
const enable = async (id: string, enabled: boolean) =>
  expect((await t.api('PUT', `/api/v1/plugins/${id}/enabled`, { token, tenant: 'demo', body: { enabled } })).status).toBe(200);

/** The messages the bot sends the chat next, once `count` of them arrived. */
let next: (count: number) => Promise<SentMessage[]>;
const labels = (m: SentMessage) => inlineButtons(m).map((b) => b.text);

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  next = standin.reader(CHAT);
  t = await startTestApp({ plugins: ['referrals'], config: { telegramApiRoot: standin.url, telegramBotToken: TOKEN, secretKey: crypto.randomBytes(32).toString('hex') } });
  token = await t.login(t.owner.email, t.owner.password);
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('steps of a plugin switched off after publishing', () => {
  it('are left out of the menu while the plugin is off, and come back when it is on', async () => {
    await standin.text(TOKEN, CHAT, '/start', { language: 'ru' });
    const before = (await next(2)).find((m) => m.text === MENU)!;
    expect(labels(before)).toEqual(expect.arrayContaining([POINTS, INVITE]));

    await enable('referrals', false);
    await enable('loyalty', false);
    await standin.text(TOKEN, CHAT, '/start', { language: 'ru' });
    const menu = (await next(2)).find((m) => m.text === MENU)!;
    expect(labels(menu)).not.toContain(POINTS);
    expect(labels(menu)).not.toContain(INVITE);
    expect(labels(menu)).toContain('📅 Записаться');
  });

  it('a button of a menu shown before the switch answers that the section is unavailable, and the menu without it', async () => {
    await enable('loyalty', true);
    await standin.text(TOKEN, CHAT, '/start', { language: 'ru' });
    const shown = (await next(2)).find((m) => m.text === MENU)!;
    const points = inlineButtons(shown).find((b) => b.text === POINTS)!;
    expect(points).toBeDefined();
    await enable('loyalty', false);
    await standin.press(TOKEN, CHAT, points.callback_data);
    const [said, again] = await next(2);
    expect(said.text).toBe('Этот раздел сейчас недоступен.');
    expect(again.text).toBe(MENU);
    expect(labels(again)).not.toContain(POINTS);
    expect(labels(again)).toContain('📅 Записаться');

    // The flow's own command reaches the step directly: the same answer, and the dialog ends there.
    await standin.text(TOKEN, CHAT, '/points', { language: 'ru' });
    expect((await next(1))[0].text).toBe('Этот раздел сейчас недоступен.');
  });

  it('with the plugin on again, the menu offers its steps and they answer', async () => {
    await enable('loyalty', true);
    await standin.text(TOKEN, CHAT, '/start', { language: 'ru' });
    const menu = (await next(2)).find((m) => m.text === MENU)!;
    expect(labels(menu)).toContain(POINTS);
    expect(labels(menu)).not.toContain(INVITE);
    await standin.press(TOKEN, CHAT, inlineButtons(menu).find((b) => b.text === POINTS)!.callback_data);
    expect((await next(1))[0].text).toBe('У вас пока нет баллов: они начисляются после первого визита.');
  });
});
