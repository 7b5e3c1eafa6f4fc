import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../test/helpers/bot-api-standin.js';

// Anyone can type (or forward) a phone: only the sender's own Telegram contact may tie a chat to a client found by phone.
const TOKEN = '700778:booking-token-bbbbbbbbbbbbbbbbbb';
const VICTIM_PHONE = '+79160001122';
let standin: BotApiStandIn;
let t: TestApp;
let token: string;

const seen = new Map<number, number>();
async function next(chat: number): Promise<SentMessage> {
  const all = await standin.waitForSent(chat, (seen.get(chat) ?? 0) + 1);
  seen.set(chat, all.length);
  return all[all.length - 1];
}

/**
 * Goes through /book pressing the second free choice until the bot asks for the phone. Never a way back
 * (⬅ another day): late in the evening, or once earlier tests took its times, a day may offer one time only.
 */
async function bookUntilPhone(chat: number): Promise<void> {
  await standin.text(TOKEN, chat, '/book', { language: 'en' });
  let m = await next(chat);
  for (let i = 0; i < 10 && !/name/i.test(m.text); i++) {
    const b = inlineButtons(m).filter((x) => !x.text.startsWith('✕') && !x.text.startsWith('⬅'));
    await standin.press(TOKEN, chat, (b[1] ?? b[0]).callback_data);
    m = await next(chat);
  }
  expect(m.text).toMatch(/name/i);
  await standin.text(TOKEN, chat, `Name${chat}`);
  expect((await next(chat)).text).toMatch(/phone/i);
}

async function confirmAndList(chat: number): Promise<SentMessage> {
  const summary = await next(chat);
  await standin.press(TOKEN, chat, inlineButtons(summary).find((x) => x.text.startsWith('✅'))!.callback_data);
  expect((await next(chat)).text).toMatch(/booked|записал/i);
  await standin.text(TOKEN, chat, '/mybookings');
  return next(chat);
}

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ plugins: ['booking'], config: { telegramApiRoot: standin.url, telegramBotToken: TOKEN, secretKey: crypto.randomBytes(32).toString('hex') } });
  token = await t.login(t.owner.email, t.owner.password);
  // The victim booked by a phone call at the front desk: a client with a phone and no chat.
  const services = await t.api('GET', '/api/v1/booking/services', { token, tenant: 'demo' });
  const svc = services.body.items.find((s: any) => s.name.startsWith('Общий массаж'));
  const slots = await t.api('GET', `/api/v1/booking/slots?serviceId=${svc.id}&from=${new Date(t.clock.nowMs() + 3 * 86_400_000).toISOString()}`, { token, tenant: 'demo' });
  const victim = await t.api('POST', '/api/v1/bookings', { token, tenant: 'demo', body: { serviceId: svc.id, start: slots.body.items[0].start, client: { name: 'Victim Person', phone: VICTIM_PHONE }, source: 'phone' } });
  expect(victim.status).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

const isVictim = (c: any) => c.identities.some((i: any) => i.kind === 'phone' && i.value === VICTIM_PHONE && i.verified);
const victimClient = async () => (await t.api('GET', '/api/v1/contacts?q=0001122', { token, tenant: 'demo' })).body.items.find(isVictim);
const chatsOf = (c: any) => c.identities.filter((i: any) => i.kind === 'telegram').map((i: any) => i.value);
/** the chat's own contact: its Telegram chat, and the phone it typed noted unverified */
const ownOf = async (chat: number) => (await t.api('GET', `/api/v1/contacts?q=Name${chat}`, { token, tenant: 'demo' })).body.items;
const bookingsOf = async (clientId: string) => (await t.api('GET', `/api/v1/bookings?clientId=${clientId}`, { token, tenant: 'demo' })).body.items;

describe('a phone the chat has not proven', () => {
  it('typed: books under the chat\'s own record and never shows or joins the victim\'s', async () => {
    const chat = 9002;
    await bookUntilPhone(chat);
    await standin.text(TOKEN, chat, '+7 916 000-11-22');
    const list = await confirmAndList(chat);
    expect(inlineButtons(list).filter((b) => b.callback_data !== undefined && !/done|готово/i.test(b.text))).toHaveLength(2); // cancel + move of its own one booking
    const victim = await victimClient();
    expect(chatsOf(victim)).toEqual([]);
    expect(await bookingsOf(victim.id)).toHaveLength(1);
    expect(await ownOf(chat)).toEqual([expect.objectContaining({ identities: [{ kind: 'telegram', value: String(chat), verified: true }, { kind: 'phone', value: VICTIM_PHONE, verified: false }] })]);
  });

  it('forwarded contact (someone else\'s user_id): the same', async () => {
    const chat = 9004;
    await bookUntilPhone(chat);
    const from = { id: chat, is_bot: false, first_name: `Client${chat}`, language_code: 'en' };
    await standin.deliver(TOKEN, { message: { message_id: 9_000_001, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, from, contact: { phone_number: VICTIM_PHONE, first_name: 'Victim', user_id: 4242 } } });
    await confirmAndList(chat);
    const victim = await victimClient();
    expect(chatsOf(victim)).toEqual([]);
    expect(await bookingsOf(victim.id)).toHaveLength(1);
  });

  it('typed, held by nobody yet: not stored as the phone, so a later front-desk booking under it stays out of this chat', async () => {
    const chat = 9005;
    await bookUntilPhone(chat);
    await standin.text(TOKEN, chat, '+7 916 000-33-44');
    await confirmAndList(chat);
    const own = await ownOf(chat);
    expect(own).toEqual([expect.objectContaining({ identities: [{ kind: 'telegram', value: String(chat), verified: true }, { kind: 'phone', value: '+79160003344', verified: false }] })]);
    const services = await t.api('GET', '/api/v1/booking/services', { token, tenant: 'demo' });
    const svc = services.body.items.find((s: any) => s.name.startsWith('Общий массаж'));
    const slots = await t.api('GET', `/api/v1/booking/slots?serviceId=${svc.id}&from=${new Date(t.clock.nowMs() + 5 * 86_400_000).toISOString()}`, { token, tenant: 'demo' });
    const desk = await t.api('POST', '/api/v1/bookings', { token, tenant: 'demo', body: { serviceId: svc.id, start: slots.body.items[0].start, client: { name: 'Real Owner', phone: '+79160003344' }, source: 'phone' } });
    expect(desk.status).toBe(201);
    expect(desk.body.client.id).not.toBe(own[0].id);
  });

  it('the owner\'s own shared contact does join the record, and "my bookings" shows the earlier booking', async () => {
    const chat = 9003;
    await bookUntilPhone(chat);
    await standin.contact(TOKEN, chat, VICTIM_PHONE);
    const list = await confirmAndList(chat);
    const victim = await victimClient();
    expect(chatsOf(victim)).toEqual([String(chat)]);
    expect(await bookingsOf(victim.id)).toHaveLength(2);
    expect(inlineButtons(list).length).toBe(5); // two bookings × (cancel, move) + done
  });
});
