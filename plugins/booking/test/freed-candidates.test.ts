/**
 * Issue 16 §1: yellow clients (CRM colour `earlier`) are offered freed earlier times first, then the waitlist — through
 * booking's `booking.freedTimeCandidates` point, the notifications' offer message in the Bot API stand-in, and its "take it".
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../test/helpers/bot-api-standin.js';
import { makeContact } from '../../../test/helpers/contacts.js';
import { until } from '../../../test/helpers/wait.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

const HOUR = 3_600_000;
let t: TestApp;
let tg: BotApiStandIn;
let s: Salon;
let botToken: string;
let botId: string;
let chats = 8100;
const D = nextMonday();
const dayPlus = (n: number) => new Date(Date.parse(`${D}T00:00:00Z`) + n * 24 * HOUR).toISOString().slice(0, 10);
const at = (day: string, hhmm: string) => `${day}T${hhmm}:00.000Z`;
const OFFER = /^Освободилось время, которого вы ждали: Классический массаж/;

beforeAll(async () => {
  tg = await BotApiStandIn.start();
  tg.limits = null;
  t = await startTestApp({ plugins: ['crm', 'notifications'], config: { telegramApiRoot: tg.url, publicUrl: 'https://earlier.example.test' } });
  tg.webhookTarget = t.url;
  t.clock.set(`${dayPlus(-1)}T06:00:00.000Z`);
  s = await makeSalon(t, { staffCount: 1 });
  botToken = `${700000 + Math.floor(Math.random() * 99999)}:earlier-${crypto.randomBytes(12).toString('hex')}`;
  const bot = await s.api('POST', '/api/v1/bots', { name: 'Salon bot', token: botToken });
  expect(bot.status, JSON.stringify(bot.body)).toBe(201);
  botId = bot.body.id;
});
afterAll(async () => {
  await t?.close();
  await tg?.close();
});

async function client(name: string) {
  const chat = ++chats;
  const c = await makeContact(t.app.db.db, s.tenantId, { name, locale: 'ru', identities: [{ kind: 'telegram', value: String(chat), botId }] });
  return { id: c.id, chat };
}
async function book(clientId: string, start: string) {
  const res = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start, client: { id: clientId } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}
const yellow = async (id: string, earlierThan: string) => expect((await s.api('PATCH', `/api/v1/crm/cards/${id}`, { color: 'earlier', earlierThan, earlierComment: 'Хочет раньше' })).status).toBe(200);
/** The chat's first message matching `text`, once it came. */
const message = (chat: number, text: RegExp) => until(`a message ${text} to ${chat}`, () => tg.sent(chat).find((m) => text.test(m.text)) as SentMessage | undefined);
const offers = (chat: number) => tg.sent(chat).filter((m) => OFFER.test(m.text));
const entries = async (status: string) => (await s.api('GET', `/api/v1/booking/waitlist?status=${status}`)).body.items as Array<{ id: string; clientId: string; offer: { start: string; bookingId: string } | null }>;
const booking = async (id: string) => (await s.api('GET', `/api/v1/bookings/${id}`)).body;

describe('freed earlier time goes to yellow clients first, then the waitlist', () => {
  it('offers the soonest-wishing yellow client, the next one when it runs out, moves the taker\'s later booking, then the waitlist', async () => {
    const y1 = await client('Жёлтая Первая');
    const y2 = await client('Жёлтая Вторая');
    const tooLate = await client('Жёлтая Поздно');
    const noBooking = await client('Жёлтая Без записи');
    const waiter = await client('Из листа ожидания');
    const y1Later = await book(y1.id, at(dayPlus(3), '07:00'));
    const y2Later = await book(y2.id, at(dayPlus(4), '07:00'));
    await book(tooLate.id, at(dayPlus(5), '07:00'));
    await yellow(y1.id, dayPlus(5));
    await yellow(y2.id, dayPlus(6));
    // Wants it earlier than the freed day itself: the freed time is not earlier than that.
    await yellow(tooLate.id, D);
    await yellow(noBooking.id, dayPlus(6));
    expect((await s.api('POST', '/api/v1/booking/waitlist', { clientId: waiter.id, serviceId: s.serviceId })).status).toBe(201);

    const leaving = await client('Уходящая');
    const freed = await book(leaving.id, at(D, '09:00'));
    expect((await s.api('PATCH', `/api/v1/bookings/${freed.id}`, { status: 'cancelled', cancelReason: 'Заболела' })).status).toBe(200);

    // The soonest wished date first: y1 gets the offer message; nobody else, the waiter included, gets one.
    await message(y1.chat, OFFER);
    const [first] = (await entries('offered'));
    expect(first).toMatchObject({ clientId: y1.id, offer: { start: at(D, '09:00') } });
    expect(await booking(first.offer!.bookingId)).toMatchObject({ status: 'held', client: { id: y1.id }, origin: { source: 'waitlist' } });
    expect([y2, tooLate, noBooking, waiter].map((c) => offers(c.chat).length)).toEqual([0, 0, 0, 0]);
    expect((await entries('waiting')).map((e) => e.clientId)).toEqual([waiter.id]);
    // CRM's staff task to offer it by hand goes only to the yellow client booking cannot offer it to (no later booking).
    const tasks = async (id: string) => (await s.api('GET', `/api/v1/tasks?contactId=${id}`)).body.items.map((x: { kind: string }) => x.kind);
    await expect.poll(() => tasks(noBooking.id)).toContain('earlier-time');
    expect([...await tasks(y1.id), ...await tasks(y2.id)]).not.toContain('earlier-time');

    // y1 lets it run out (30 minutes): the proposed entry closes, and y2 is next — still before the waitlist.
    t.clock.set(new Date(t.clock.now().getTime() + 31 * 60_000));
    await message(y2.chat, OFFER);
    expect(offers(y1.chat)).toHaveLength(1);
    expect(offers(waiter.chat)).toHaveLength(0);
    const second = (await entries('offered'))[0];
    expect(second).toMatchObject({ clientId: y2.id, offer: { start: at(D, '09:00') } });

    // y2 takes it: booked at the earlier time, and the later booking goes, as moved.
    const take = inlineButtons(offers(y2.chat)[0]).find((b) => b.text === '✅ Беру')!;
    expect((await tg.press(botToken, y2.chat, take.callback_data)).status).toBe(200);
    await until('y2 booked', async () => ['confirmed', 'pending'].includes((await booking(second.offer!.bookingId)).status));
    const later = await booking(y2Later.id);
    expect(later.status).toBe('cancelled');
    expect(later.cancelReason).toMatch(/^Перенесено на более раннее время: \d\d\.\d\d 12:00$/);
    expect((await booking(y1Later.id)).status).toBe('confirmed');

    // The later time y2 gave up is one no yellow client wants earlier (y1's own is sooner): it goes to the waitlist as before.
    await message(waiter.chat, OFFER);
    expect((await entries('offered'))).toEqual([expect.objectContaining({ clientId: waiter.id, offer: expect.objectContaining({ start: at(dayPlus(4), '07:00') }) })]);
    expect(offers(y1.chat)).toHaveLength(1);
  });
});
