/**
 * Paying a prepayment with loyalty's points through the bot (the Bot API stand-in), loyalty on: the "Pay with
 * points" button beside the invoice asks loyalty how much its rules allow — at most maxRedeemPercent (50 %) of the
 * price, in whole points — and a new invoice asks the rest; points that cover the whole prepayment confirm the
 * booking with no money asked; a lower maxRedeemPercent is honoured. Each case is its own client (loyalty allows
 * one redemption per 14 days).
 */
import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons } from '../../../test/helpers/bot-api-standin.js';
import type { BookingService, BookingSummary } from '../../booking/contract.js';

const TOKEN = '700889:points-token-bbbbbbbbbbbbbbbbbbb';
const PROVIDER_TOKEN = '381764678:TEST:100501';
const BALANCE = 10_000;
let standin: BotApiStandIn;
let t: TestApp;
let owner: string;
let botId: string;
let booking: BookingService;
let massageId: string;

const ok = async (method: string, path: string, body?: unknown) => {
  const res = await t.api(method, path, { token: owner, tenant: 'demo', body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
};
const pluginConfig = async (id: string) => (await ok('GET', '/api/v1/plugins')).items.find((p: { id: string }) => p.id === id).config;
const configure = async (id: string, config: Record<string, unknown>) => ok('PUT', `/api/v1/plugins/${id}/config`, { config: { ...(await pluginConfig(id)), ...config } });
const status = async (id: string) => (await booking.getBooking(t.demoTenantId, id))!.status;
const balance = async (contactId: string) => (await ok('GET', `/api/v1/loyalty/accounts/${contactId}`)).balance;

/** A client of the bot's chat holding BALANCE points. */
async function clientWithPoints(chat: number, name: string): Promise<string> {
  const c = await t.app.db.db.insertInto('contacts').values({ tenant_id: t.demoTenantId, name }).returning('id').executeTakeFirstOrThrow();
  await t.app.db.db.insertInto('contact_identities').values({ tenant_id: t.demoTenantId, contact_id: c.id, kind: 'telegram', value: String(chat), bot_id: botId, verified: true }).execute();
  await ok('POST', `/api/v1/loyalty/accounts/${c.id}/adjust`, { points: BALANCE, reason: 'test points' });
  return c.id;
}

/** The client books a massage in the chat (as the booking flow does): held, invoiced, offered points. */
async function bookWithOffer(chat: number, contactId: string, daysAhead: number): Promise<{ b: BookingSummary; invoice: Record<string, any>; offer: Record<string, any> }> {
  const from = new Date(t.clock.nowMs() + daysAhead * 86_400_000);
  const [slot] = await booking.slots(t.demoTenantId, { serviceId: massageId, from, to: new Date(from.getTime() + 7 * 86_400_000) });
  const b = await booking.create(t.demoTenantId, { serviceId: massageId, start: new Date(slot.start), resourceIds: slot.resourceIds, client: { id: contactId }, source: 'chat', actor: { kind: 'client', id: contactId } });
  expect(b.status).toBe('held');
  await expect.poll(() => standin.invoices(chat).length, { timeout: 20_000 }).toBe(1);
  await expect.poll(() => standin.sent(chat).find((m) => inlineButtons(m).some((x) => x.text === 'Оплатить баллами')), { timeout: 20_000 }).toBeTruthy();
  return { b, invoice: standin.invoices(chat)[0], offer: standin.sent(chat).find((m) => inlineButtons(m).some((x) => x.text === 'Оплатить баллами'))! };
}
const payWithPoints = (chat: number, offer: Record<string, any>) => standin.press(TOKEN, chat, inlineButtons(offer).find((x) => x.text === 'Оплатить баллами')!.callback_data);
/** The points a booking's tender holds (loyalty answers them and their amount in major units). */
const pointsHeld = async (bookingId: string) => (await ok('GET', `/api/v1/loyalty/bookings/${bookingId}/tenders`)).items.filter((x: { kind: string; status: string }) => x.kind === 'points' && x.status === 'held').map((x: { points: number }) => x.points);
const spaced = (s: string) => s.replace(/\s/g, ' ');
const rubles = (kopecks: number) => spaced(new Intl.NumberFormat('ru').format(kopecks / 100));
/** The booking's ledger entries of tenders written off and returned. */
const writeOffs = (bookingId: string) => t.app.db.db.selectFrom('prepayment_ledger').select(['kind', 'method', 'amount']).where('tenant_id', '=', t.demoTenantId).where('booking_id', '=', bookingId).where('kind', 'in', ['write_off', 'write_off_return']).orderBy('id').execute();
/** The business's calendar day of an instant (the demo runs in Moscow). */
const day = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Moscow' }).toISODate()!;
/** Kopecks of a share of the price in whole points (1 point = 1 ₽), as loyalty counts it. */
const wholePoints = (kopecks: number, round: (n: number) => number) => round(kopecks / 100) * 100;

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ plugins: ['prepayment', 'loyalty', 'hot-windows'], config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test' } });
  standin.webhookTarget = t.url;
  owner = await t.login(t.owner.email, t.owner.password);
  botId = (await ok('POST', '/api/v1/bots', { name: 'Points bot', token: TOKEN })).id;
  await ok('PUT', '/api/v1/plugins/prepayment/enabled', { enabled: true });
  booking = t.app.host.get('prepayment').ctx.service('booking');
  massageId = (await booking.services(t.demoTenantId)).find((s) => s.name === 'Общий массаж')!.id;
  await configure('prepayment', { rules: [{ serviceId: massageId, kind: 'full' }], telegram: { providerToken: PROVIDER_TOKEN } });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('paying a prepayment with points', () => {
  it('points pay at most 50 % of the price; the rest is invoiced, paid and the booking confirmed', async () => {
    const chat = 9901;
    const contactId = await clientWithPoints(chat, 'Полина');
    const { b, invoice, offer } = await bookWithOffer(chat, contactId, 2);
    const half = wholePoints(b.price.amount / 2, Math.floor);
    expect(invoice.prices[0].amount).toBe(b.price.amount);
    expect(spaced(offer.text)).toContain(`Баллов на счёте: ${BALANCE}. Ими можно оплатить ${rubles(half)}`);

    await payWithPoints(chat, offer);
    await expect.poll(() => standin.invoices(chat).length, { timeout: 20_000 }).toBe(2);
    const rest = standin.invoices(chat)[1];
    expect(rest.prices[0].amount).toBe(b.price.amount - half);
    expect(await pointsHeld(b.id)).toEqual([half / 100]);
    expect(await balance(contactId)).toBe(BALANCE - half / 100);
    // the first invoice asks the old amount: refused at pre-checkout
    expect(await standin.checkout(TOKEN, chat, invoice)).toMatchObject({ ok: false, error: expect.stringContaining('Сумма изменилась') });
    expect((await standin.checkout(TOKEN, chat, rest)).ok).toBe(true);
    await expect.poll(() => status(b.id), { timeout: 20_000 }).toBe('confirmed');
    expect((await ok('GET', `/api/v1/prepayment/bookings/${b.id}/payments`)).summary).toMatchObject({ state: 'paid', paid: { amount: b.price.amount - half }, due: { amount: 0 } });
  });

  it('points that cover the whole prepayment confirm the booking with no money asked', async () => {
    await configure('prepayment', { rules: [{ serviceId: massageId, kind: 'percent', percent: 30 }] });
    const chat = 9902;
    const contactId = await clientWithPoints(chat, 'Карина');
    const { b, invoice, offer } = await bookWithOffer(chat, contactId, 3);
    const prepayment = Math.round(b.price.amount * 0.3);
    expect(invoice.prices[0].amount).toBe(prepayment);

    await payWithPoints(chat, offer);
    await expect.poll(() => status(b.id), { timeout: 20_000 }).toBe('confirmed');
    // whole points, the fewest that cover it
    expect(await pointsHeld(b.id)).toEqual([wholePoints(prepayment, Math.ceil) / 100]);
    // the button's reply speaks the chat's language (English in the stand-in)
    expect(standin.sent(chat).some((m) => m.text?.startsWith('Points paid RUB') && m.text.includes('your booking is confirmed'))).toBe(true);
    expect(standin.invoices(chat)).toHaveLength(1);
    expect((await standin.checkout(TOKEN, chat, invoice)).ok).toBe(false);
    expect((await ok('GET', `/api/v1/prepayment/bookings/${b.id}/payments`)).summary).toMatchObject({ paid: { amount: 0 }, due: { amount: b.price.amount - wholePoints(prepayment, Math.ceil) } });

    // The finance report: the points are no money taken, yet they lessen what is left to pay at the visit.
    const points = wholePoints(prepayment, Math.ceil);
    // From today: the ledger is dated when the visit is marked done, the outstanding amounts by the visit's day.
    const range = `from=${day(t.clock.now().toISOString())}&to=${day(b.start)}`;
    const before = await ok('GET', `/api/v1/prepayment/finance?${range}`);
    expect(before.outstanding).toContainEqual(expect.objectContaining({ bookingId: b.id, paid: 0, tenders: points, due: b.price.amount - points }));
    // The visit done: the points are written off in the ledger, and the completed visit owes nothing more.
    await booking.setStatus(t.demoTenantId, b.id, 'arrived', { kind: 'system', id: null });
    await booking.setStatus(t.demoTenantId, b.id, 'completed', { kind: 'system', id: null });
    await expect.poll(async () => (await writeOffs(b.id)).map((e) => [e.kind, e.method, Number(e.amount)]), { timeout: 20_000 }).toEqual([['write_off', 'points', points]]);
    const after = await ok('GET', `/api/v1/prepayment/finance?${range}`);
    expect(after.outstanding.map((o: { bookingId: string }) => o.bookingId)).not.toContain(b.id);
    expect(after.totals.writeOffs).toBe(points);
    expect(after.byMethod).toContainEqual({ method: 'points', revenue: 0, tips: 0, writeOffs: points });
    expect(await ok('GET', `/api/v1/prepayment/finance/export?${range}&format=csv`)).toContain(`write_off,${points / 100},RUB,points,${b.id}`);
    // A completion undone returns the write-off: the report nets it out, the visit owes its price less the points again.
    await booking.setStatus(t.demoTenantId, b.id, 'arrived', { kind: 'system', id: null });
    await expect.poll(async () => (await writeOffs(b.id)).map((e) => e.kind), { timeout: 20_000 }).toEqual(['write_off', 'write_off_return']);
    const undone = await ok('GET', `/api/v1/prepayment/finance?${range}`);
    expect(undone.totals.writeOffs).toBe(0);
    expect(undone.outstanding).toContainEqual(expect.objectContaining({ bookingId: b.id, tenders: points, due: b.price.amount - points }));
  });

  it('a lower maxRedeemPercent is honoured: points pay 20 % of the price, the rest of the 30 % is invoiced', async () => {
    await configure('loyalty', { maxRedeemPercent: 20 });
    const chat = 9903;
    const contactId = await clientWithPoints(chat, 'Лариса');
    const { b, offer } = await bookWithOffer(chat, contactId, 4);
    const prepayment = Math.round(b.price.amount * 0.3);
    const fifth = wholePoints(b.price.amount / 5, Math.floor);
    await payWithPoints(chat, offer);
    await expect.poll(() => standin.invoices(chat).length, { timeout: 20_000 }).toBe(2);
    expect(standin.invoices(chat)[1].prices[0].amount).toBe(prepayment - fifth);
    expect(await pointsHeld(b.id)).toEqual([fifth / 100]);
    expect(await status(b.id)).toBe('held');
    // A refusal at pre-checkout speaks the client's language, not only the business's.
    await t.app.db.db.updateTable('contacts').set({ locale: 'uk' }).where('tenant_id', '=', t.demoTenantId).where('id', '=', contactId).execute();
    expect(await standin.checkout(TOKEN, chat, standin.invoices(chat)[0])).toMatchObject({ ok: false, error: 'Сума змінилася, оплатіть, будь ласка, останній рахунок.' });
  });

  it('the price breakdown — a hot window\'s discount, points, the 30 % prepayment in money, what is left for the visit — at the desk and in the bot', async () => {
    // maxRedeemPercent is 20 from the case before: points pay 20 % of the price, money the rest of the 30 %.
    const chat = 9904;
    const contactId = await clientWithPoints(chat, 'Дарья');
    const zone = 'Europe/Moscow';
    const date = DateTime.fromJSDate(t.clock.now(), { zone }).plus({ days: 6 }).toISODate()!;
    const olga = (await booking.resources(t.demoTenantId)).find((r) => r.name === 'Ольга Смирнова')!.id;
    const dayStart = DateTime.fromISO(date, { zone });
    const [slot] = await booking.slots(t.demoTenantId, { serviceId: massageId, from: dayStart.toJSDate(), to: dayStart.plus({ days: 1 }).toJSDate(), resourceIds: [olga] });
    const at = DateTime.fromISO(slot.start, { zone });
    await ok('POST', '/api/v1/hot-windows', { resourceIds: [olga], serviceIds: [massageId], dateFrom: date, dateTo: date, from: at.toFormat('HH:mm'), to: at.plus({ hours: 1 }).toFormat('HH:mm'), discountPercent: 20, prepaymentAmount: 500 });
    const list = (await booking.services(t.demoTenantId, [massageId]))[0].price.amount;

    const b = await booking.create(t.demoTenantId, { serviceId: massageId, start: new Date(slot.start), resourceIds: slot.resourceIds, client: { id: contactId }, source: 'chat', actor: { kind: 'client', id: contactId } });
    expect(b).toMatchObject({ status: 'held', price: { amount: Math.round(list * 0.8) } });
    const price = b.price.amount;
    const prepayment = Math.round(price * 0.3);
    const fifth = wholePoints(price / 5, Math.floor);
    await expect.poll(() => standin.sent(chat).find((m) => inlineButtons(m).some((x) => x.text === 'Оплатить баллами')), { timeout: 20_000 }).toBeTruthy();
    await payWithPoints(chat, standin.sent(chat).find((m) => inlineButtons(m).some((x) => x.text === 'Оплатить баллами'))!);
    await expect.poll(() => standin.invoices(chat).length, { timeout: 20_000 }).toBe(2);
    const rest = standin.invoices(chat)[1];
    expect(rest.prices[0].amount).toBe(prepayment - fifth);
    // The invoice says what the booking costs and what stays for the visit, within Telegram's 255 characters.
    expect(rest.description.length).toBeLessThanOrEqual(255);
    expect(spaced(rest.description)).toContain(`Скидка «горящее окно»: −${rubles(list - price)} ₽; Стоимость: ${rubles(price)} ₽; Оплачено баллами: ${rubles(fifth)} ₽; Предоплата: ${rubles(prepayment - fifth)} ₽; К оплате на месте: ${rubles(price - prepayment)} ₽.`);
    expect((await standin.checkout(TOKEN, chat, rest)).ok).toBe(true);
    await expect.poll(() => status(b.id), { timeout: 20_000 }).toBe('confirmed');

    // The desk's numbers (minor units), each discount with its source.
    const money = (amount: number) => ({ amount, currency: 'RUB' });
    expect(await ok('GET', `/api/v1/prepayment/bookings/${b.id}/breakdown`)).toEqual({
      listPrice: money(list), discounts: [{ source: 'hot-windows', amount: money(list - price) }], price: money(price),
      tenders: [{ kind: 'points', amount: money(fifth) }], prepaid: money(prepayment - fifth), refunded: money(0), due: money(price - prepayment),
    });
    // The client's confirmation after paying lists them too, in their language.
    await expect.poll(() => standin.sent(chat).some((m) => m.text?.startsWith('Оплата получена')), { timeout: 20_000 }).toBe(true);
    const confirmation = standin.sent(chat).find((m) => m.text?.startsWith('Оплата получена'))!.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(confirmation).toContain(`Цена по прайсу: ${rubles(list)} ₽\nСкидка «горящее окно»: −${rubles(list - price)} ₽\nСтоимость: ${rubles(price)} ₽\nОплачено баллами: ${rubles(fifth)} ₽\nПредоплата: ${rubles(prepayment - fifth)} ₽\nК оплате на месте: ${rubles(price - prepayment)} ₽`);

    // Another business's booking is not found; a specialist may not read it.
    const other = await t.api('GET', `/api/v1/prepayment/bookings/${crypto.randomUUID()}/breakdown`, { token: owner, tenant: 'demo' });
    expect(other).toMatchObject({ status: 404, body: { code: 'BF_ERR_PREPAYMENT_BOOKING_NOT_FOUND' } });
    const specialist = await t.addMember(owner, 'olga-breakdown@test.local', 'specialist');
    expect((await t.api('GET', `/api/v1/prepayment/bookings/${b.id}/breakdown`, { token: specialist.token, tenant: 'demo' })).status).toBe(403);
  });
});
