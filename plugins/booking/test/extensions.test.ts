/**
 * Booking's extension points with real contributing plugins (made up here, loaded by the real loader next
 * to a copy of booking): busy times from calendars, a veto and a price pipeline, each scoped to the
 * businesses that enabled the contributor; failing and slow contributors stay their own business's problem.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { tempPluginsDir } from '../../../test/helpers/plugins.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

/** What the made-up plugins read and record; they run in this process. */
interface Stage {
  calendar: Record<string, Array<{ resourceId: string; start: string; end: string }>>;
  asked: Record<string, string[]>;
  aborted: string[];
}
const stage: Stage = { calendar: {}, asked: {}, aborted: [] };
(globalThis as { bookingStage?: Stage }).bookingStage = stage;

const dependent = (files: Record<string, string>, manifest: Record<string, unknown> = {}) => ({ manifest: { dependencies: { booking: '^1.0.0' }, ...manifest }, files });
const plugins = tempPluginsDir({
  copy: ['booking'],
  plugins: {
    'calendar-sync': dependent({ 'server.ts': `
      const stage = globalThis.bookingStage;
      export default { extensions: { 'booking.busyTimes': async (query, ctx, call) => {
        (stage.asked[call.tenantId] ??= []).push(ctx.pluginId);
        return stage.calendar[call.tenantId] ?? [];
      } } };` }),
    'flaky-calendar': dependent({ 'server.ts': `
      const stage = globalThis.bookingStage;
      export default { extensions: { 'booking.busyTimes': async (query, ctx, call) => {
        (stage.asked[call.tenantId] ??= []).push(ctx.pluginId);
        throw new Error('calendar API answered 502');
      } } };` }),
    'slow-calendar': dependent({ 'server.ts': `
      const stage = globalThis.bookingStage;
      export default { extensions: { 'booking.busyTimes': (query, ctx, call) => new Promise((resolve) => {
        (stage.asked[call.tenantId] ??= []).push(ctx.pluginId);
        // Answers only when booking gives up on it: the signal is what a fetch() would be handed.
        call.signal.addEventListener('abort', () => { stage.aborted.push(call.tenantId); resolve([]); });
      }) } };` }),
    'loyalty-lite': dependent({
      'server.ts': `
        export default { extensions: {
          'booking.beforeCreate': async (input) => (input.client.phone === '+79990000001' ? { code: 'BF_ERR_LOYALTYLITE_BLOCKED', details: { phone: input.client.phone } } : null),
          'booking.price': async (input, price) => ({ ...price, amount: Math.round(price.amount * 0.9) }),
        } };`,
      'locales/ru.json': JSON.stringify({ errors: { BF_ERR_LOYALTYLITE_BLOCKED: 'Клиент {{phone}} уже записан на этой неделе' } }),
      'locales/uk.json': JSON.stringify({ errors: { BF_ERR_LOYALTYLITE_BLOCKED: 'Клієнт {{phone}} уже записаний цього тижня' } }),
    }, { errors: { BF_ERR_LOYALTYLITE_BLOCKED: { status: 409, message: 'Client {phone} already has a booking this week', solve: 'Book after the week is over.' } } }),
    // Uses booking's service only (no contributions): a stand-in for notifications and hot windows.
    'desk-helper': dependent({ 'server.ts': 'export default {};' }),
    'broken-checks': dependent({ 'server.ts': `
      export default { extensions: {
        'booking.beforeCreate': async (input) => { if (input.client.phone === '+79160000007') throw new Error('the payment provider is down'); },
        'booking.price': async (input, price) => ({ amount: price.amount / 3, currency: 'USD' }),
        // A prepayment's hold check whose provider hangs: it answers only once booking gave up on it.
        'booking.hold': (input, value, ctx, call) => input.client.phone === '+79160000010'
          ? new Promise((resolve) => call.signal.addEventListener('abort', () => resolve({ hold: false })))
          : value,
      } };` }),
  },
});
afterAll(() => plugins.remove());

let t: TestApp;
/** a: no contributors; b: a calendar, plus a failing and a slow one; c: loyalty; d: broken checks */
let a: Salon, b: Salon, c: Salon, d: Salon;
const enable = async (s: Salon, ...ids: string[]) => {
  for (const id of ids) expect((await s.api('PUT', `/api/v1/plugins/${id}/enabled`, { enabled: true })).status).toBe(200);
};
beforeAll(async () => {
  t = await startTestApp({ pluginsDir: plugins.dir });
  [a, b, c, d] = [await makeSalon(t), await makeSalon(t), await makeSalon(t), await makeSalon(t)];
  await enable(b, 'calendar-sync', 'flaky-calendar', 'slow-calendar');
  await enable(c, 'loyalty-lite');
  await enable(d, 'broken-checks');
});
afterAll(() => t?.close());

const day = nextMonday();
const slots = (s: Salon, resourceId = s.staff[0]) => t.api('GET', `/api/v1/public/${s.tenant}/slots?serviceId=${s.serviceId}&from=${day}T00:00:00Z&to=${day}T23:00:00Z&resourceId=${resourceId}`);
const book = (s: Salon, start: string, phone: string, headers?: Record<string, string>) =>
  t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start, resourceIds: [s.staff[0]], client: { name: 'Анна', phone } }, headers });

describe('booking.busyTimes', () => {
  it('busy times from a calendar block slots and bookings of its business only', async () => {
    stage.calendar[b.tenantId] = [{ resourceId: b.staff[0], start: `${day}T07:00:00.000Z`, end: `${day}T09:00:00.000Z` }];
    const bSlots = await slots(b);
    expect(bSlots.status).toBe(200);
    expect(bSlots.body[0].start).toBe(`${day}T09:00:00.000Z`);
    expect((await book(b, `${day}T07:00:00.000Z`, '+79160000001')).body.code).toBe('BF_ERR_SLOT_TAKEN');
    // Business a enabled no calendar: asked nobody, its 10:00 is free.
    expect((await slots(a)).body[0].start).toBe(`${day}T07:00:00.000Z`);
    expect(stage.asked[a.tenantId]).toBeUndefined();
  });

  it('a failing and a slow provider of one business leave other businesses\' slots and bookings working', async () => {
    // b's failing and slow calendars are asked at the same time as a's requests run. a's two run one after the other:
    // run together, its booking may commit before its slots are read (the slots then rightly leave 08:00 out).
    const bAsked = slots(b);
    const aSlots = await slots(a);
    const aBooked = await book(a, `${day}T08:00:00.000Z`, '+79160000002');
    const bSlots = await bAsked;
    expect(aSlots.status).toBe(200);
    expect(aSlots.headers.get('bookflow-busy-times-missing')).toBeNull();
    expect(aSlots.body.map((x: any) => x.start)).toContain(`${day}T08:00:00.000Z`);
    expect(aBooked.status, JSON.stringify(aBooked.body)).toBe(201);
    expect(stage.asked[a.tenantId]).toBeUndefined();

    // b itself still answers: the working calendar's busy time counts, and the answer names the missing ones.
    expect(bSlots.status).toBe(200);
    expect(bSlots.body[0].start).toBe(`${day}T09:00:00.000Z`);
    expect(bSlots.headers.get('bookflow-busy-times-missing')?.split(', ').sort()).toEqual(['flaky-calendar', 'slow-calendar']);
    expect(stage.aborted).toContain(b.tenantId);
    const staff = await b.api('GET', `/api/v1/booking/slots?serviceId=${b.serviceId}&from=${day}T00:00:00Z&to=${day}T23:00:00Z&resourceId=${b.staff[0]}`);
    expect(staff.body.busyTimesMissing.sort()).toEqual(['flaky-calendar', 'slow-calendar']);
    // Bookings in b go on as well: the business's own bookings still cannot overlap.
    expect((await book(b, `${day}T10:00:00.000Z`, '+79160000003')).status).toBe(201);
    expect((await book(a, `${day}T10:00:00.000Z`, '+79160000004')).status).toBe(201);
  });
});

describe('booking.beforeCreate and booking.price', () => {
  it('a veto reaches the caller as the refusing plugin\'s coded error in the caller\'s language', async () => {
    const refused = await book(c, `${day}T07:00:00.000Z`, '+7 999 000-00-01', { 'accept-language': 'uk' });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ code: 'BF_ERR_LOYALTYLITE_BLOCKED', message: 'Клієнт +79990000001 уже записаний цього тижня', details: { phone: '+79990000001', plugin: 'loyalty-lite' } });
    const staff = await c.api('POST', '/api/v1/bookings', { serviceId: c.serviceId, start: `${day}T07:00:00.000Z`, client: { name: 'Анна', phone: '+79990000001' } });
    expect(staff.body.code).toBe('BF_ERR_LOYALTYLITE_BLOCKED');
    expect(staff.body.message).toBe('Клиент +79990000001 уже записан на этой неделе');
    // Nothing was written; the time is still free.
    expect((await slots(c)).body[0].start).toBe(`${day}T07:00:00.000Z`);
  });

  it('the price pipeline sets the booking\'s price, for the businesses that enabled the contributor', async () => {
    const discounted = await book(c, `${day}T07:00:00.000Z`, '+79160000005');
    expect(discounted.status, JSON.stringify(discounted.body)).toBe(201);
    expect(discounted.body.price).toBe(2700);
    expect((await c.api('GET', `/api/v1/bookings/${discounted.body.id}`)).body.price).toBe(2700);
    const full = await book(a, `${day}T12:00:00.000Z`, '+79160000006');
    expect(full.body.price).toBe(3000);
  });

  it('a check that throws holds up its own business\'s bookings (coded 503), and a price stage in another currency is left out', async () => {
    const res = await book(d, `${day}T07:00:00.000Z`, '+79160000007', { 'accept-language': 'en' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'BF_ERR_BOOKING_CHECK_FAILED', details: { plugin: 'broken-checks' } });
    // When its check lets a booking through, its price stage alone is skipped: the price stays whole and in roubles.
    const booked = await book(d, `${day}T08:00:00.000Z`, '+79160000008');
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.price).toBe(3000);
    // Another business never meets d's broken plugin.
    expect((await book(a, `${day}T13:00:00.000Z`, '+79160000009')).status).toBe(201);
  });

  it('a hold check that times out makes no booking (it would confirm unpaid what needed a prepayment)', async () => {
    const res = await book(d, `${day}T09:00:00.000Z`, '+79160000010', { 'accept-language': 'en' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'BF_ERR_BOOKING_CHECK_FAILED', details: { plugin: 'broken-checks' } });
    // Nothing was written: the time is still free for the next client.
    expect((await slots(d)).body.map((x: any) => x.start)).toContain(`${day}T09:00:00.000Z`);
  });
});

describe('the booking service for dependents', () => {
  it('lists slots, books, moves, confirms and cancels through the same rules as the API, with its events', async () => {
    const svc = t.app.host.get('desk-helper').ctx.service('booking');
    const from = new Date(`${day}T00:00:00Z`), to = new Date(`${day}T23:00:00Z`);
    const free = await svc.slots(a.tenantId, { serviceId: a.serviceId, from, to, resourceIds: [a.staff[1]] });
    expect(free[0]).toMatchObject({ resourceIds: expect.arrayContaining([a.staff[1]]), price: { amount: 300000, currency: 'RUB' } });
    const contact = (await a.api('POST', '/api/v1/contacts', { name: 'Вера', phone: '+79160000077' })).body;
    const system = { kind: 'system' as const, id: null };
    const made = await svc.create(a.tenantId, { serviceId: a.serviceId, start: new Date(free[0].start), resourceIds: [a.staff[1]], client: { id: contact.id }, source: 'chat', actor: system });
    expect(made).toMatchObject({ clientId: contact.id, start: free[0].start, status: expect.stringMatching(/^(pending|confirmed)$/) });
    await expect(svc.create(a.tenantId, { serviceId: a.serviceId, start: new Date(free[0].start), resourceIds: [a.staff[1]], client: { id: contact.id }, source: 'chat', actor: system })).rejects.toMatchObject({ code: 'BF_ERR_SLOT_TAKEN' });
    expect((await svc.slots(a.tenantId, { serviceId: a.serviceId, from, to, resourceIds: [a.staff[1]] })).map((x) => x.start)).not.toContain(free[0].start);
    const later = new Date(free.at(-1)!.start);
    const moved = await svc.reschedule(a.tenantId, made.id, { start: later, resourceIds: [a.staff[1]] }, system);
    expect(moved.start).toBe(later.toISOString());
    expect((await svc.bookings(a.tenantId, { from, to, resourceIds: [a.staff[1]] })).map((x) => x.id)).toEqual([made.id]);
    expect(await svc.bookings(a.tenantId, { from, to, resourceIds: [a.roomId], statuses: ['cancelled'] })).toEqual([]);
    const confirmed = await svc.setStatus(a.tenantId, made.id, 'confirmed', { kind: 'client', id: contact.id });
    expect(confirmed.status).toBe('confirmed');
    const cancelled = await svc.setStatus(a.tenantId, made.id, 'cancelled', { kind: 'client', id: contact.id }, 'plans changed');
    expect(cancelled.status).toBe('cancelled');
    await expect(svc.setStatus(a.tenantId, made.id, 'completed', system)).rejects.toMatchObject({ code: 'BF_ERR_BOOKING_BAD_TRANSITION' });
    const types = (await t.app.db.db.selectFrom('outbox').select('type').where('tenant_id', '=', a.tenantId).where(sql`payload->>'bookingId'`, '=', made.id).orderBy('id').execute()).map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(['booking.created', 'booking.rescheduled', 'booking.status-changed', 'booking.cancelled', 'booking.slot-freed']));
    // Another business's booking is not reached through the service.
    await expect(svc.setStatus(b.tenantId, made.id, 'cancelled', system)).rejects.toMatchObject({ code: 'BF_ERR_BOOKING_NOT_FOUND' });
  });
});
