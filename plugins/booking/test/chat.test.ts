import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../test/helpers/bot-api-standin.js';

// The demo bot books a visit end to end: Telegram updates go through the Bot API stand-in.
const TOKEN = '700777:booking-token-aaaaaaaaaaaaaaaaaa';
const CHAT = 7001;
let standin: BotApiStandIn;
let t: TestApp;
let token: string;

/** The messages the bot sends the chat next, once `count` of them arrived. */
let next: (count: number) => Promise<SentMessage[]>;
const press = (m: SentMessage, match: (label: string) => boolean) => standin.pressWhere(TOKEN, CHAT, m, match);

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  next = standin.reader(CHAT);
  t = await startTestApp({ plugins: ['booking'], config: { telegramApiRoot: standin.url, telegramBotToken: TOKEN, secretKey: crypto.randomBytes(32).toString('hex') } });
  token = await t.login(t.owner.email, t.owner.password);
  // The demo business got the booking flow when it was seeded.
  const flows = await t.api('GET', '/api/v1/flows', { token, tenant: 'demo' });
  const flow = flows.body.items.find((f: any) => f.key === 'booking');
  expect(flow).toMatchObject({ publishedVersion: 1 });
  const full = await t.api('GET', `/api/v1/flows/${flow.id}`, { token, tenant: 'demo' });
  expect((await t.api('POST', '/api/v1/flows/validate', { token, tenant: 'demo', body: { graph: full.body.draft } })).body).toEqual({ valid: true, errors: [] });
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('booking through the demo bot', () => {
  it('goes from /start to a confirmed booking by pressing buttons, then reschedules and cancels it in "my bookings"', async () => {
    await standin.text(TOKEN, CHAT, '/start', { language: 'ru' });
    const [, menu] = await next(2);
    await press(menu, (l) => l === '📅 Записаться');
    const [departments] = await next(1);
    expect(departments.text).toBe('Выберите направление:');
    expect(inlineButtons(departments).map((b) => b.text)).toContain('Массаж');
    await press(departments, (l) => l === 'Массаж');

    const [services] = await next(1);
    expect(services.text).toBe('Выберите услугу:');
    await press(services, (l) => l.startsWith('Общий массаж'));

    const [specialists] = await next(1);
    expect(inlineButtons(specialists).map((b) => b.text)).toEqual(expect.arrayContaining(['👥 Любой свободный специалист', 'Ольга Смирнова — Массажист']));
    await press(specialists, (l) => l.startsWith('👥'));

    const [calendar] = await next(1);
    expect(calendar.text).toContain('Выберите день');
    const days = inlineButtons(calendar);
    expect(days).toHaveLength(14);
    expect(calendar.reply_markup.inline_keyboard[0]).toHaveLength(7);
    // Pick the second free day, far enough ahead to cancel it ourselves later.
    const freeDays = days.filter((b) => !b.text.startsWith('✕'));
    expect(freeDays.length).toBeGreaterThan(1);
    await standin.press(TOKEN, CHAT, freeDays[1].callback_data);

    const [times] = await next(1);
    expect(times.text).toContain('Свободное время');
    expect(inlineButtons(times)[0].text).toMatch(/^\d\d:\d\d$/);
    const chosenTime = inlineButtons(times)[0].text;
    await standin.press(TOKEN, CHAT, inlineButtons(times)[0].callback_data);

    const [askName] = await next(1);
    expect(askName.text).toContain('Как к вам обращаться');
    await standin.text(TOKEN, CHAT, 'Анна');
    const [askPhone] = await next(1);
    expect(askPhone.reply_markup.keyboard[0][0]).toMatchObject({ request_contact: true });
    await standin.contact(TOKEN, CHAT, '+7 (916) 555-77-88');

    const [summary] = await next(1);
    expect(summary.text).toContain('Общий массаж');
    expect(summary.text).toContain(chosenTime);
    expect(summary.text).toContain('+79165557788');
    await press(summary, (l) => l.startsWith('✅'));
    const [booked] = await next(1);
    expect(booked.text).toContain('Вы записаны');

    const found = await t.api('GET', '/api/v1/bookings?q=5557788', { token, tenant: 'demo' });
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({ status: 'confirmed', source: 'chat', client: { name: 'Анна', phone: '+79165557788' } });

    // Reschedule from "my bookings": the same specialist, another day; the known client is not asked again.
    await standin.text(TOKEN, CHAT, '/mybookings');
    const [mine] = await next(1);
    expect(mine.text).toContain('Общий массаж');
    await press(mine, (l) => l.startsWith('🔁'));
    const [calendar2] = await next(1);
    const laterDays = inlineButtons(calendar2).filter((b) => !b.text.startsWith('✕'));
    await standin.press(TOKEN, CHAT, laterDays[2].callback_data);
    const [times2] = await next(1);
    await standin.press(TOKEN, CHAT, inlineButtons(times2)[1].callback_data);
    const [summary2] = await next(1);
    expect(summary2.text).toContain('Анна');
    await press(summary2, (l) => l.startsWith('✅'));
    const [moved] = await next(1);
    expect(moved.text).toContain('Запись перенесена');
    const history = await t.api('GET', `/api/v1/bookings/${found.body.items[0].id}/history`, { token, tenant: 'demo' });
    expect(history.body.items.map((h: any) => h.action)).toEqual(['created', 'rescheduled']);

    await standin.text(TOKEN, CHAT, '/mybookings');
    const [mine2] = await next(1);
    await press(mine2, (l) => l.startsWith('✖'));
    const [cancelled] = await next(2);
    expect(cancelled.text).toContain('отменена');
    const after = await t.api('GET', `/api/v1/bookings/${found.body.items[0].id}`, { token, tenant: 'demo' });
    expect(after.body).toMatchObject({ status: 'cancelled', cancelReason: 'Отменено клиентом в чате' });
  });
});
