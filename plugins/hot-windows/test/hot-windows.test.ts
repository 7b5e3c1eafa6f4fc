/**
 * Hot windows through the real app, the booking flow, the Bot API stand-in and the prepayment plugin: a window
 * made for "Массаж" tomorrow is refused until the business can take its 500 ₽ prepayment; then it is announced
 * to a segment, a client taps a time in the message, lands in the booking flow at that time, gets an invoice of
 * 500 ₽, pays it (pre_checkout_query, successful_payment) and is booked at 80% of the price. The calendar colors
 * it orange, the bot marks it 🔥 with the price, a client cannot book hot time while its prepayment cannot be
 * taken (the desk can), a booked hot slot leaves the offers and the window expires at its start.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons } from '../../../test/helpers/bot-api-standin.js';
import { liveWindows } from '../lib/live-windows.js';
import plugin from '../server.js';

const TOKEN = '800701:hot-window-token-hhhhhhhhhhhhhhhhh';
const PROVIDER_TOKEN = '381764678:TEST:100500';
const CHAT = 71_001;
const ZONE = 'Europe/Moscow';
let standin: BotApiStandIn;
let t: TestApp;
let owner: string;
let serviceId: string;
let staff: string[];
let tomorrow: string;
let windowId: string;
let contactId: string;
const call = (method: string, path: string, body?: unknown) => t.api(method, path, { token: owner, tenant: 'demo', body });
const ok = async (method: string, path: string, body?: unknown) => {
  const res = await call(method, path, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
};
const texts = () => standin.sent(CHAT).map((m) => m.text as string);
const setPrepayment = async (config: Record<string, unknown>) => {
  const current = (await ok('GET', '/api/v1/plugins')).items.find((p: { id: string }) => p.id === 'prepayment').config;
  await ok('PUT', '/api/v1/plugins/prepayment/config', { config: { ...current, ...config } });
};

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ plugins: ['hot-windows', 'broadcasts'], config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test' } });
  standin.webhookTarget = t.url;
  owner = await t.login(t.owner.email, t.owner.password);
  const botId = (await ok('POST', '/api/v1/bots', { name: 'Hot bot', token: TOKEN })).id;
  const departments = (await ok('GET', '/api/v1/booking/departments')).items;
  const resources = (await ok('GET', '/api/v1/booking/resources')).items;
  // the demo's three massage therapists: between them every day of the week is worked
  staff = resources.filter((r: { name: string }) => ['Ольга Смирнова', 'Игорь Волков', 'Наталья Кузнецова'].includes(r.name)).map((r: { id: string }) => r.id);
  const service = await ok('POST', '/api/v1/booking/services', { departmentId: departments.find((d: { name: string }) => d.name === 'Массаж').id, name: 'Массаж', durationMin: 60, price: 3000 });
  serviceId = service.id;
  await ok('PUT', `/api/v1/booking/services/${serviceId}/staff`, { items: staff.map((resourceId) => ({ resourceId })) });
  tomorrow = DateTime.fromJSDate(t.clock.now(), { zone: ZONE }).plus({ days: 1 }).toISODate()!;
  // The demo's upcoming bookings fall at other times of tomorrow depending on the hour the seed ran: the
  // therapists' tomorrow is cleared at the desk, so the window's times are free at any hour the suite runs.
  const day = DateTime.fromISO(tomorrow, { zone: ZONE });
  const booked = (await ok('GET', `/api/v1/bookings?from=${day.toUTC().toISO()}&to=${day.plus({ days: 1 }).toUTC().toISO()}&limit=500`)).items;
  for (const b of booked.filter((x: { status: string; resourceIds: string[] }) => ['held', 'pending', 'confirmed'].includes(x.status) && x.resourceIds.some((r) => staff.includes(r)))) {
    await ok('PATCH', `/api/v1/bookings/${b.id}`, { status: 'cancelled', cancelReason: 'Мастер на обучении' });
  }
  const db = t.app.db.db;
  const consent = JSON.stringify({ marketing: { granted: true, at: new Date(0).toISOString(), source: 'test' } });
  const c = await db.insertInto('contacts').values({ tenant_id: t.demoTenantId, name: 'Вера', tags: ['hot-fans'], consent }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('contact_identities').values([
    { tenant_id: t.demoTenantId, contact_id: c.id, kind: 'telegram', value: String(CHAT), bot_id: botId, verified: true },
    { tenant_id: t.demoTenantId, contact_id: c.id, kind: 'phone', value: '+79165550101', bot_id: '', verified: true },
  ]).execute();
  contactId = c.id;
  // A business that has not turned prepayment on yet and has no hot windows: the demo's (its seed, checked in
  // core/test/demo-template.test.ts) are taken away. The studio cannot switch prepayment off under hot windows.
  await db.deleteFrom('hot_windows_windows').where('tenant_id', '=', t.demoTenantId).execute();
  await db.updateTable('tenant_plugins').set({ enabled: false }).where('tenant_id', '=', t.demoTenantId).where('plugin_id', '=', 'prepayment').execute();
  t.app.host.forget(t.demoTenantId);
  liveWindows(t.app.host.get('hot-windows').ctx).forget(t.demoTenantId);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('a hot window', () => {
  it('cannot be made while the business cannot take its prepayment, and says why', async () => {
    const draft = { resourceIds: staff, serviceIds: [serviceId], dateFrom: tomorrow, dateTo: tomorrow, from: '12:00', to: '18:00' };
    const off = await t.api('POST', '/api/v1/hot-windows', { token: owner, tenant: 'demo', body: draft, headers: { 'accept-language': 'ru' } });
    expect(off).toMatchObject({ status: 409, body: { code: 'BF_ERR_HOT_WINDOW_PREPAYMENT_OFF', details: { amount: 500, currency: 'RUB' } } });
    expect(off.body.message).toBe('Горящее окно требует предоплату 500 RUB, но плагин предоплаты для этого бизнеса выключен');
    await ok('PUT', '/api/v1/plugins/prepayment/enabled', { enabled: true });
    expect(await call('POST', '/api/v1/hot-windows', draft)).toMatchObject({ status: 409, body: { code: 'BF_ERR_HOT_WINDOW_NO_PAYMENT_PROVIDER', details: { amount: 500, currency: 'RUB' } } });
    // A window that asks no prepayment is only a discount: nothing to collect, nothing refused.
    const free = await ok('POST', '/api/v1/hot-windows', { ...draft, prepaymentAmount: 0 });
    await ok('DELETE', `/api/v1/hot-windows/${free.id}`);
    expect((await ok('GET', '/api/v1/hot-windows')).items).toEqual([]);
  });

  it('created for “Массаж” tomorrow is announced to a segment; a tapped time, its 500 ₽ paid in the chat, books it at 80% of the price', async () => {
    await setPrepayment({ telegram: { providerToken: PROVIDER_TOKEN } });
    const segment = (await ok('POST', '/api/v1/segments', { name: 'Hot fans', rule: { field: 'tags', op: 'contains', value: 'hot-fans' } })).id;
    const created = await ok('POST', '/api/v1/hot-windows', { resourceIds: staff, serviceIds: [serviceId], dateFrom: tomorrow, dateTo: tomorrow, from: '12:00', to: '18:00', segmentIds: [segment] });
    windowId = created.id;
    expect(created).toMatchObject({ discountPercent: 20, prepayment: { amount: 50_000, currency: 'RUB' }, campaignId: expect.any(String) });
    const [announcement] = await standin.waitForSent(CHAT, 1, 30_000);
    expect(announcement.text).toMatch(/^🔥 Горящее окно: Массаж со скидкой 20%/);
    const buttons = inlineButtons(announcement);
    expect(buttons.at(-1)!.text).toBe('Отписаться');
    expect(buttons[0].text).toMatch(/^🔥 .+ 12:00 · 2\s400\s₽$/);

    await standin.press(TOKEN, CHAT, buttons[0].callback_data);
    const [, summary] = await standin.waitForSent(CHAT, 2);
    // the flow speaks the client's Telegram language (English in the stand-in)
    expect(summary.text).toMatch(/Price: RUB\s2,400/);
    await standin.press(TOKEN, CHAT, inlineButtons(summary).find((b) => b.text.startsWith('✅'))!.callback_data);
    await standin.waitForSent(CHAT, 3);
    // held while the client pays the window's fixed prepayment, not the business's rule (none)
    expect(texts()[2]).toMatch(/^Almost done: Массаж, .* is held for you while you pay the prepayment/);
    const bookingRow = () => t.app.db.db.selectFrom('booking_bookings').select(['id', 'price', 'start_at', 'status']).where('tenant_id', '=', t.demoTenantId).where('service_id', '=', serviceId).executeTakeFirstOrThrow();
    expect((await bookingRow()).status).toBe('held');
    await expect.poll(() => standin.invoices(CHAT).length, { timeout: 20_000 }).toBe(1);
    const [invoice] = standin.invoices(CHAT);
    expect(invoice).toMatchObject({ title: 'Массаж', currency: 'RUB', prices: [{ amount: 50_000 }], provider_token: PROVIDER_TOKEN });
    const paid = await standin.checkout(TOKEN, CHAT, invoice);
    expect(paid.ok, paid.error).toBe(true);
    expect(paid.ms).toBeLessThan(10_000);
    await expect.poll(async () => (await bookingRow()).status, { timeout: 20_000 }).toBe('confirmed');
    const booking = await bookingRow();
    expect(Number(booking.price)).toBe(2400);
    expect(DateTime.fromJSDate(booking.start_at, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm')).toBe(`${tomorrow} 12:00`);
    await standin.waitForSent(CHAT, 4);
    // prepayment's own message goes out in the contact's language, here the business's (the flow answered in Telegram's)
    // with the booking's breakdown: the window's discount by name, the 500 ₽ paid, the rest left for the visit
    expect(texts()[3].replace(/[\u00a0\u202f]/g, ' ')).toBe([
      'Оплата получена, запись подтверждена. Ждём вас!', '', 'Цена по прайсу: 3 000 ₽', 'Скидка «горящее окно»: −600 ₽', 'Стоимость: 2 400 ₽',
      'Предоплата: 500 ₽', 'К оплате на месте: 1 900 ₽',
    ].join('\n'));
    expect((await ok('GET', `/api/v1/prepayment/bookings/${booking.id}/breakdown`)).discounts).toEqual([{ source: 'hot-windows', amount: { amount: 60_000, currency: 'RUB' } }]);
    // what is left to pay at the visit: the discounted price less the 500 ₽
    expect((await ok('GET', `/api/v1/prepayment/bookings/${booking.id}/payments`)).summary).toMatchObject({ state: 'paid', price: { amount: 240_000 }, paid: { amount: 50_000 }, due: { amount: 190_000 } });
    await expect.poll(async () => (await ok('GET', `/api/v1/broadcasts/${created.campaignId}`)).counts).toMatchObject({ sent: 1, clicked: 1, booked: 1 });
  }, 60_000);

  it('shows orange in the calendar, with the legend; the booked slot is gone from it', async () => {
    const { legend, slots } = await ok('GET', `/api/v1/hot-windows/calendar?serviceId=${serviceId}&days=3`);
    expect(legend).toEqual({ regular: '#43a047', hot: '#f57c00', online: '#1e88e5' });
    const local = (s: { start: string }) => DateTime.fromISO(s.start, { zone: ZONE });
    const hot = slots.filter((s: { kind: string }) => s.kind === 'hot');
    expect(hot.length).toBeGreaterThan(0);
    for (const s of hot) {
      expect(s).toMatchObject({ color: '#f57c00', pay: { amount: 240_000 }, prepayment: { amount: 50_000 } });
      expect(local(s).toISODate()).toBe(tomorrow);
      expect(local(s).hour).toBeGreaterThanOrEqual(12);
      expect(local(s).hour).toBeLessThan(18);
    }
    expect(slots.filter((s: { kind: string }) => s.kind === 'regular').every((s: { color: string; pay: { amount: number } }) => s.color === '#43a047' && s.pay.amount === 300_000)).toBe(true);
    // the booked 12:00 is no longer offered with its therapist
    const booked = await t.app.db.db.selectFrom('booking_booking_resources as br').innerJoin('booking_bookings as b', (j) => j.onRef('b.tenant_id', '=', 'br.tenant_id').onRef('b.id', '=', 'br.booking_id'))
      .select('br.resource_id').where('b.tenant_id', '=', t.demoTenantId).where('b.service_id', '=', serviceId).execute();
    expect(booked.length).toBeGreaterThan(0);
    const taken = new Set(booked.map((b) => b.resource_id));
    expect(hot.some((s: { start: string; resourceIds: string[] }) => local(s).toFormat('HH:mm') === '12:00' && s.resourceIds.some((r) => taken.has(r) && staff.includes(r)))).toBe(false);
  });

  it('is marked 🔥 with the discounted price and a legend in the bot’s time picker', async () => {
    const ctx = t.app.host.get('hot-windows').ctx;
    const vars = { bookingServiceId: serviceId, bookingServiceName: 'Массаж', bookingDay: tomorrow };
    await t.app.db.db.transaction().execute((trx) => ctx.messages.send(trx, {
      tenantId: t.demoTenantId, to: { contactId }, purpose: 'transactional', idempotencyKey: 'pick-time',
      message: { text: 'Выберите время', buttons: [[{ label: 'Время', flow: { flowKey: 'booking', nodeId: 'time', vars } }]] },
    }));
    const [, , , , invite] = await standin.waitForSent(CHAT, 5);
    await standin.press(TOKEN, CHAT, inlineButtons(invite)[0].callback_data);
    const [picker] = (await standin.waitForSent(CHAT, 6)).slice(5);
    expect(picker.text).toMatch(/🔥 — hot window: 20% off, prepayment RUB\s500/);
    const labels = inlineButtons(picker).map((b) => b.text);
    expect(labels.some((l) => /^🔥 13:00 · RUB\s2,400$/.test(l))).toBe(true);
    // the times outside the window stay plain: the therapists' hours of the day (Sunday's start at 11:00) around it
    const regular = labels.filter((l) => /^\d\d:\d\d$/.test(l));
    expect(regular.some((l) => l < '12:00')).toBe(true);
    expect(regular.some((l) => l >= '18:00')).toBe(true);
    expect(labels.filter((l) => l.startsWith('🔥')).every((l) => /^🔥 1[2-7]:\d\d · /.test(l))).toBe(true);
  });

  it('cannot be booked by a client while its prepayment cannot be taken, saying why; the desk still books it', async () => {
    await setPrepayment({ telegram: { providerToken: null } });
    const { slots } = await ok('GET', `/api/v1/hot-windows/calendar?serviceId=${serviceId}&days=3`);
    const hot = slots.find((s: { kind: string }) => s.kind === 'hot');
    const slot = { serviceId, start: hot.start, resourceIds: hot.resourceIds };
    const widget = await t.api('POST', '/api/v1/public/demo/bookings', { body: { ...slot, client: { name: 'Ира', phone: '+79165550202' } }, headers: { 'accept-language': 'uk' } });
    expect(widget).toMatchObject({ status: 409, body: { code: 'BF_ERR_HOT_WINDOW_PREPAYMENT_UNAVAILABLE', details: { amount: 500, currency: 'RUB', reason: 'no-provider' } } });
    expect(widget.body.message).toMatch(/^Цей час гарячого вікна вимагає передоплату 500 RUB/);
    // a phone caller booked at the desk pays at the visit, at the discounted price
    const desk = await ok('POST', '/api/v1/bookings', { ...slot, source: 'phone', client: { name: 'Ира', phone: '+79165550202' } });
    expect(desk).toMatchObject({ status: 'confirmed' });
    expect(desk.price).toBe(2400);
  });

  it('asks its fixed prepayment through prepayment.requirement, unless the business asks more', async () => {
    const ctx = t.app.host.get('hot-windows').ctx;
    const contribute = plugin.extensions!['prepayment.requirement']!;
    const call = { tenantId: t.demoTenantId, signal: new AbortController().signal };
    const at = DateTime.fromISO(`${tomorrow}T13:00`, { zone: ZONE }).toUTC().toISO()!;
    const input = { tenantId: t.demoTenantId, serviceId, start: at, resourceIds: [staff[0]], price: { amount: 240_000, currency: 'RUB' } };
    expect(await contribute(input, { kind: 'none' }, ctx, call)).toEqual({ kind: 'fixed', amount: { amount: 50_000, currency: 'RUB' } });
    expect(await contribute(input, { kind: 'percent', percent: 50 }, ctx, call)).toEqual({ kind: 'percent', percent: 50 });
    const regular = { ...input, start: DateTime.fromISO(`${tomorrow}T10:00`, { zone: ZONE }).toUTC().toISO()! };
    expect(await contribute(regular, { kind: 'none' }, ctx, call)).toEqual({ kind: 'none' });
  });

  it('refuses bad ranges and unknown ids, naming the field', async () => {
    const base = { resourceIds: staff, serviceIds: [serviceId], dateFrom: tomorrow, dateTo: tomorrow, from: '12:00', to: '18:00' };
    const yesterday = DateTime.fromISO(tomorrow).minus({ days: 2 }).toISODate();
    expect(await call('POST', '/api/v1/hot-windows', { ...base, dateFrom: yesterday })).toMatchObject({ status: 400, body: { code: 'BF_ERR_HOT_WINDOW_RANGE_INVALID', details: { field: 'dateFrom' } } });
    expect(await call('POST', '/api/v1/hot-windows', { ...base, from: '18:00', to: '12:00' })).toMatchObject({ status: 400, body: { code: 'BF_ERR_HOT_WINDOW_RANGE_INVALID', details: { field: 'to' } } });
    expect((await call('POST', '/api/v1/hot-windows', { ...base, from: '25:00' })).status).toBe(400);
    expect(await call('POST', '/api/v1/hot-windows', { ...base, serviceIds: ['00000000-0000-4000-8000-000000000000'] })).toMatchObject({ status: 404, body: { code: 'BF_ERR_BOOKING_SERVICE_NOT_FOUND' } });
    expect(await call('DELETE', '/api/v1/hot-windows/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { code: 'BF_ERR_HOT_WINDOW_NOT_FOUND' } });
    const proposals = (await ok('GET', `/api/v1/hot-windows/proposals?serviceId=${serviceId}&days=3`)).items;
    expect(proposals.length).toBeGreaterThan(0);
    expect(proposals[0]).toMatchObject({ serviceIds: [serviceId], resourceIds: [expect.any(String)], freeHours: expect.any(Number) });
  });

  it('expires at its start: past its hours it is listed expired and nothing is discounted', async () => {
    t.clock.set(DateTime.fromISO(`${tomorrow}T18:01`, { zone: ZONE }).toJSDate());
    owner = await t.login(t.owner.email, t.owner.password);
    const listed = (await ok('GET', '/api/v1/hot-windows')).items.find((w: { id: string }) => w.id === windowId);
    expect(listed.expired).toBe(true);
    const { slots } = await ok('GET', `/api/v1/hot-windows/calendar?serviceId=${serviceId}&days=2`);
    expect(slots.some((s: { kind: string }) => s.kind === 'hot')).toBe(false);
  });
});
