import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { until } from '../../../test/helpers/wait.js';
import { codeSinkPluginsDir } from './code-sink.js';
import { makeSalon, nextMonday, verify, type Salon } from './salon.js';

const pluginsDir = codeSinkPluginsDir();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ pluginsDir });
});
afterAll(() => t?.close());

const book = (s: Salon, start: string, name = 'Клиент', phone = '+79160000001', extra: Record<string, unknown> = {}) =>
  t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start, client: { name, phone }, ...extra } });
/** Holds come from staff (or a payment integration), never from the public API. */
const hold = (s: Salon, start: string, name: string, phone: string) => s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start, client: { name, phone }, hold: true });

describe('bookings', () => {
  it('200 simultaneous requests for one slot of one resource: exactly one 201 and 199 × 409', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const start = `${nextMonday()}T08:00:00.000Z`;
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => book(s, start, `Клиент ${i}`, `+7916${String(1000000 + i)}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(199);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(new Set(['BF_ERR_SLOT_TAKEN']));
  });

  it('reschedules, cancels with a reason, keeps the whole history, and frees the time', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const day = nextMonday();
    const created = await book(s, `${day}T07:00:00.000Z`, 'Ирина', '+79161112233');
    expect(created.status).toBe(201);
    const id = created.body.id;
    const moved = await s.api('PATCH', `/api/v1/bookings/${id}`, { start: `${day}T09:00:00.000Z`, comment: 'Просила пораньше' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ start: `${day}T09:00:00.000Z`, comment: 'Просила пораньше' });
    const arrivedTooEarly = await s.api('PATCH', `/api/v1/bookings/${id}`, { status: 'completed' });
    expect(arrivedTooEarly.body.code).toBe('BF_ERR_BOOKING_BAD_TRANSITION');
    const cancelled = await s.api('PATCH', `/api/v1/bookings/${id}`, { status: 'cancelled', cancelReason: 'Заболела' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Заболела' });

    const history = await s.api('GET', `/api/v1/bookings/${id}/history`);
    expect(history.body.items.map((h: any) => h.action)).toEqual(['created', 'updated', 'rescheduled', 'cancelled']);
    expect(history.body.items[0].actor.kind).toBe('client');
    expect(history.body.items[3].actor).toMatchObject({ kind: 'user', email: t.owner.email });
    expect(history.body.items[2].before.start).toBe(`${day}T07:00:00.000Z`);

    // The cancelled time is free again.
    expect((await book(s, `${day}T09:00:00.000Z`, 'Олег', '+79162223344')).status).toBe(201);
    const events = await t.app.db.db.selectFrom('outbox').select('type').where('tenant_id', '=', s.tenantId).execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['booking.created', 'booking.rescheduled', 'booking.cancelled', 'booking.status-changed', 'booking.slot-freed']));
  });

  it('resizes a booking from its start: longer, over the next booking refused, shorter; a group booking keeps its session\'s length', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const day = nextMonday();
    const id = (await book(s, `${day}T07:00:00.000Z`, 'Анна', '+79161112201')).body.id;
    const longer = await s.api('PATCH', `/api/v1/bookings/${id}`, { durationMin: 90 });
    expect(longer.status, JSON.stringify(longer.body)).toBe(200);
    expect(longer.body).toMatchObject({ start: `${day}T07:00:00.000Z`, end: `${day}T08:30:00.000Z` });
    // The lengthened booking holds its staff and room until 08:30.
    expect((await book(s, `${day}T08:00:00.000Z`, 'Борис', '+79161112202')).body.code).toBe('BF_ERR_SLOT_TAKEN');
    expect((await book(s, `${day}T08:30:00.000Z`, 'Борис', '+79161112202')).status).toBe(201);
    const over = await s.api('PATCH', `/api/v1/bookings/${id}`, { durationMin: 120 });
    expect([over.status, over.body.code]).toEqual([409, 'BF_ERR_SLOT_TAKEN']);
    expect((await s.api('GET', `/api/v1/bookings/${id}`)).body.end).toBe(`${day}T08:30:00.000Z`);
    const shorter = await s.api('PATCH', `/api/v1/bookings/${id}`, { durationMin: 30 });
    expect(shorter.body).toMatchObject({ start: `${day}T07:00:00.000Z`, end: `${day}T07:30:00.000Z` });
    const history = await s.api('GET', `/api/v1/bookings/${id}/history`);
    expect(history.body.items.filter((h: { action: string }) => h.action === 'rescheduled')).toHaveLength(2);
    expect((await s.api('PATCH', `/api/v1/bookings/${id}`, { durationMin: 7 })).status).toBe(400);

    const group = await s.api('POST', '/api/v1/booking/services', { departmentId: s.departmentId, name: 'Йога', kind: 'group', capacity: 2, durationMin: 60, price: 800, resourceIds: [s.roomId] });
    await s.api('PUT', `/api/v1/booking/services/${group.body.id}/staff`, { items: [{ resourceId: s.staff[0] }] });
    const seat = await t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: group.body.id, start: `${day}T12:00:00.000Z`, client: { name: 'Йог', phone: '+79161112203' } } });
    expect(seat.status, JSON.stringify(seat.body)).toBe(201);
    const stretched = await s.api('PATCH', `/api/v1/bookings/${seat.body.id}`, { durationMin: 90 });
    expect([stretched.status, stretched.body.code]).toEqual([409, 'BF_ERR_BOOKING_FIXED_LENGTH']);
  });

  it('a hold counts as busy until it expires; an expired hold is free even before the job runs', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const start = `${nextMonday()}T10:00:00.000Z`;
    const held = await hold(s, start, 'Платит', '+79163334455');
    expect(held.body).toMatchObject({ status: 'held' });
    expect((await book(s, start, 'Второй', '+79163334466')).status).toBe(409);
    await t.app.db.db.updateTable('booking_bookings').set({ hold_expires_at: new Date(t.clock.nowMs() - 1000) }).where('id', '=', held.body.id).execute();
    await t.app.db.db.updateTable('booking_booking_resources').set({ hold_expires_at: new Date(t.clock.nowMs() - 1000) }).where('booking_id', '=', held.body.id).execute();
    const second = await book(s, start, 'Второй', '+79163334466');
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect((await s.api('GET', `/api/v1/bookings/${held.body.id}`)).body.status).toBe('expired');
  });

  it('the expiry job turns a run-out hold into expired', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const held = await hold(s, `${nextMonday()}T12:00:00.000Z`, 'Платит', '+79163334477');
    expect(held.body.status).toBe('held');
    // The hold committed with its expiry job, one per booking under its key.
    const job = await t.app.db.db.selectFrom('plugin_jobs').select(['run_at', 'status']).where('tenant_id', '=', s.tenantId).where('key', '=', `hold-expiry:${held.body.id}`).executeTakeFirstOrThrow();
    expect(job).toEqual({ run_at: new Date(held.body.holdExpiresAt), status: 'scheduled' });
    await t.app.db.db.updateTable('booking_bookings').set({ hold_expires_at: new Date(t.clock.nowMs() - 1000) }).where('id', '=', held.body.id).execute();
    // Scheduling under the same key replaces the pending job: it runs now, once.
    await t.app.host.get('booking').ctx.jobs.now('expire-hold', { bookingId: held.body.id }, { tenantId: s.tenantId, key: `hold-expiry:${held.body.id}` });
    await until('hold expired', async () => (await s.api('GET', `/api/v1/bookings/${held.body.id}`)).body.status === 'expired');
  });

  it('group sessions count seats', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const group = await s.api('POST', '/api/v1/booking/services', { departmentId: s.departmentId, name: 'Йога', kind: 'group', capacity: 2, durationMin: 60, price: 800, resourceIds: [s.roomId] });
    await s.api('PUT', `/api/v1/booking/services/${group.body.id}/staff`, { items: [{ resourceId: s.staff[0] }] });
    const start = `${nextMonday()}T12:00:00.000Z`;
    const post = (phone: string) => t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: group.body.id, start, client: { name: 'Йог', phone } } });
    const results = await Promise.all(['+79160000011', '+79160000012', '+79160000013', '+79160000014'].map(post));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(['BF_ERR_BOOKING_GROUP_FULL', 'BF_ERR_BOOKING_GROUP_FULL']);
    // A regular massage cannot use the same therapist during the class.
    expect((await book(s, start, 'Массаж', '+79160000015')).body.code).toBe('BF_ERR_SLOT_TAKEN');
  });

  it('blocking a period with bookings keeps them, lists them and announces them', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const day = nextMonday();
    const b = await book(s, `${day}T07:00:00.000Z`, 'Вера', '+79164445566');
    const res = await s.api('POST', '/api/v1/booking/exceptions', { resourceId: s.staff[0], kind: 'sick_leave', start: `${day}T00:00:00.000Z`, end: `${day}T23:00:00.000Z`, reason: 'Больничный' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.affectedBookings.map((x: any) => x.id)).toEqual([b.body.id]);
    expect((await s.api('GET', `/api/v1/bookings/${b.body.id}`)).body.status).toBe('confirmed');
    const event = await t.app.db.db.selectFrom('outbox').select('payload').where('tenant_id', '=', s.tenantId).where('type', '=', 'booking.period-blocked').executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ bookingIds: [b.body.id], resourceId: s.staff[0] });
    const slots = await t.api('GET', `/api/v1/public/${s.tenant}/slots?serviceId=${s.serviceId}&from=${day}T00:00:00Z&to=${day}T23:00:00Z`);
    expect(slots.body).toEqual([]);
  });

  it('searches and exports exactly the filtered list as CSV and XLSX', async () => {
    const s = await makeSalon(t, { staffCount: 2 });
    const day = nextMonday();
    await book(s, `${day}T07:00:00.000Z`, 'Анна Петрова', '+79165556601', { comment: 'аллергия на масла' });
    await book(s, `${day}T08:00:00.000Z`, 'Мария', '+79165556602');
    await book(s, `${day}T09:00:00.000Z`, 'Анна Смирнова', '+79165556603');
    const byName = await s.api('GET', '/api/v1/bookings?q=Анна');
    expect(byName.body.total).toBe(2);
    expect((await s.api('GET', '/api/v1/bookings?q=аллергия')).body.items.map((b: any) => b.client.name)).toEqual(['Анна Петрова']);
    expect((await s.api('GET', '/api/v1/bookings?q=5556602')).body.items.map((b: any) => b.client.name)).toEqual(['Мария']);
    expect((await s.api('GET', `/api/v1/bookings?status=cancelled`)).body.total).toBe(0);

    const csv = await fetch(`${t.url}/api/v1/bookings/export?format=csv&q=${encodeURIComponent('Анна')}`, { headers: { authorization: `Bearer ${s.token}`, 'x-tenant': s.tenant } });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Анна Петрова');
    const xlsx = await fetch(`${t.url}/api/v1/bookings/export?format=xlsx&q=${encodeURIComponent('Анна')}`, { headers: { authorization: `Bearer ${s.token}`, 'x-tenant': s.tenant } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as any);
    expect(wb.getWorksheet('bookings')!.actualRowCount).toBe(3);
  });

  it('offers freed time to the waitlist in turn; the waiter claims it', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const day = nextMonday();
    const first = await book(s, `${day}T07:00:00.000Z`, 'Занятая', '+79166667701');
    const verificationToken = await verify(t, s, { phone: '+79166667702' });
    const wait = await t.api('POST', `/api/v1/public/${s.tenant}/waitlist`, { body: { serviceId: s.serviceId, day, client: { name: 'Ждущая', phone: '+79166667702' }, verificationToken } });
    expect(wait.status, JSON.stringify(wait.body)).toBe(201);
    // Fill the rest of the day so the only freed time is the cancelled one.
    for (const h of ['08', '09', '10', '12', '13', '14', '15']) await book(s, `${day}T${h}:00:00.000Z`, 'Занятая', '+79166667701');
    await s.api('PATCH', `/api/v1/bookings/${first.body.id}`, { status: 'cancelled', cancelReason: 'Передумала' });
    const offered = await until('offer', async () => (await s.api('GET', '/api/v1/booking/waitlist?status=offered')).body.items[0]);
    expect(offered.offer.start).toBe(`${day}T07:00:00.000Z`);
    expect((await book(s, `${day}T07:00:00.000Z`, 'Чужая', '+79166667703')).status).toBe(409);
    const claimed = await t.api('POST', `/api/v1/public/${s.tenant}/waitlist/${wait.body.id}/claim`, { body: { phone: '89166667702' } });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'confirmed', client: { name: 'Ждущая' }, start: `${day}T07:00:00.000Z` });
  });

  it('an offer that runs out goes to the next waiter in turn', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const day = nextMonday();
    const first = await book(s, `${day}T07:00:00.000Z`, 'Занятая', '+79166668801');
    for (const h of ['08', '09', '10', '12', '13', '14', '15']) await book(s, `${day}T${h}:00:00.000Z`, 'Занятая', '+79166668801');
    const waiters: Array<{ id: string }> = [];
    for (const phone of ['+79166668802', '+79166668803']) {
      const verificationToken = await verify(t, s, { phone });
      waiters.push((await t.api('POST', `/api/v1/public/${s.tenant}/waitlist`, { body: { serviceId: s.serviceId, day, client: { name: phone, phone }, verificationToken } })).body);
    }
    await s.api('PATCH', `/api/v1/bookings/${first.body.id}`, { status: 'cancelled' });
    const offered = await until('first offer', async () => (await s.api('GET', '/api/v1/booking/waitlist?status=offered')).body.items[0]);
    expect(offered.id).toBe(waiters[0].id);
    // The first waiter lets the deadline pass.
    await t.app.db.db.updateTable('booking_bookings').set({ hold_expires_at: new Date(t.clock.nowMs() - 1000) }).where('id', '=', offered.offer.bookingId).execute();
    await t.app.host.get('booking').ctx.jobs.now('expire-hold', { bookingId: offered.offer.bookingId }, { tenantId: s.tenantId, key: `hold-expiry:${offered.offer.bookingId}` });
    const second = await until('second offer', async () => (await s.api('GET', '/api/v1/booking/waitlist?status=offered')).body.items.find((w: any) => w.id === waiters[1].id));
    expect(second.offer.start).toBe(`${day}T07:00:00.000Z`);
    const late = await t.api('POST', `/api/v1/public/${s.tenant}/waitlist/${waiters[0].id}/claim`, { body: { phone: '+79166668802' } });
    expect(late.body.code).toBe('BF_ERR_BOOKING_OFFER_EXPIRED');
    expect((await s.api('GET', '/api/v1/booking/waitlist?status=waiting')).body.items.map((w: any) => w.id)).toEqual([waiters[0].id]);
  });

  it('keeps wall-clock schedules across a DST change (Europe/Berlin)', async () => {
    const s = await makeSalon(t, { staffCount: 1, timezone: 'Europe/Berlin' });
    // A fixed March on the app's clock (moved back: the owner's sign-in stays valid). Picking "the next
    // spring change" from now found none within the horizon on some days (e.g. 27 March: next year's is 365 days off).
    const before = t.clock.fork();
    t.clock.set('2026-03-02T09:00:00Z');
    try {
      // The EU changes to summer time on the last Sunday of March: 2026-03-29.
      const iso = (d: number) => new Date(Date.parse('2026-03-29T00:00:00Z') + d * 86_400_000).toISOString().slice(0, 10);
      const slots = await t.api('GET', `/api/v1/public/${s.tenant}/slots?serviceId=${s.serviceId}&from=${iso(-1)}T00:00:00Z&to=${iso(2)}T00:00:00Z`);
      const firstOfDay = new Map<string, string>();
      for (const x of slots.body) if (!firstOfDay.has(x.start.slice(0, 10))) firstOfDay.set(x.start.slice(0, 10), x.start.slice(11, 16));
      // 10:00 in Berlin is 09:00 UTC in winter and 08:00 UTC in summer.
      expect([...firstOfDay.entries()]).toEqual([[iso(-1), '09:00'], [iso(0), '08:00'], [iso(1), '08:00']]);
      const booked = await book(s, `${iso(1)}T08:00:00.000Z`, 'Ханна', '+4915112345678');
      expect(booked.status).toBe(201);
    } finally {
      t.clock.set(before.now());
    }
  });

  it('refuses a start off the grid or outside working hours as unavailable, and a wrong resource as mismatch', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const day = nextMonday();
    expect((await book(s, `${day}T07:10:00.000Z`)).body.code).toBe('BF_ERR_BOOKING_SLOT_UNAVAILABLE');
    expect((await book(s, `${day}T03:00:00.000Z`)).body.code).toBe('BF_ERR_BOOKING_SLOT_UNAVAILABLE');
    expect((await book(s, `${day}T07:00:00.000Z`, 'X', '+79160000099', { resourceIds: [s.departmentId] })).body.code).toBe('BF_ERR_BOOKING_RESOURCE_MISMATCH');
    expect((await book(s, `${day}T07:00:00.000Z`, 'X', '12345')).body.code).toBe('BF_ERR_BOOKING_PHONE_INVALID');
    // An administrator may book outside the schedule on purpose.
    const forced = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: `${day}T03:00:00.000Z`, resourceIds: [s.staff[0], s.roomId], client: { name: 'VIP', phone: '+79160000098' }, source: 'phone', force: true });
    expect(forced.status, JSON.stringify(forced.body)).toBe(201);
    expect(forced.body.source).toBe('phone');
  });
});
