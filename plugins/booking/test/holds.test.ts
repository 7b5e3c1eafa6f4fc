import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday } from './salon.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
});
afterAll(() => t?.close());

describe('a run-out hold met by a new booking before its job ran', () => {
  it('expires the way the job does: seats back, history and events', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const group = await s.api('POST', '/api/v1/booking/services', { departmentId: s.departmentId, name: 'Йога', kind: 'group', capacity: 2, durationMin: 60, price: 800, resourceIds: [s.roomId] });
    await s.api('PUT', `/api/v1/booking/services/${group.body.id}/staff`, { items: [{ resourceId: s.staff[0] }] });
    const start = `${nextMonday()}T12:00:00.000Z`;
    const held = await s.api('POST', '/api/v1/bookings', { serviceId: group.body.id, start, client: { name: 'Платит', phone: '+79163330001' }, seats: 2, hold: true });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const db = t.app.db.db;
    await db.updateTable('booking_bookings').set({ hold_expires_at: new Date(t.clock.nowMs() - 1000) }).where('id', '=', held.body.id).execute();
    await db.updateTable('booking_booking_resources').set({ hold_expires_at: new Date(t.clock.nowMs() - 1000) }).where('booking_id', '=', held.body.id).execute();

    const next = await s.api('POST', '/api/v1/bookings', { serviceId: group.body.id, start, client: { name: 'Следующая', phone: '+79163330002' } });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect((await s.api('GET', `/api/v1/bookings/${next.body.id}`)).body).toEqual({ ...next.body, origin: expect.any(Object) });
    expect((await s.api('GET', `/api/v1/bookings/${held.body.id}`)).body.status).toBe('expired');
    const session = await db.selectFrom('booking_sessions').select(['seats_taken']).where('id', '=', held.body.sessionId).executeTakeFirstOrThrow();
    expect(session.seats_taken).toBe(1);
    const history = (await s.api('GET', `/api/v1/bookings/${held.body.id}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({ action: 'status', actor: { kind: 'system' }, after: expect.objectContaining({ status: 'expired' }) });
    const events = await db.selectFrom('outbox').select(['type', 'payload']).where('tenant_id', '=', s.tenantId).where('type', '=', 'booking.status-changed').execute();
    expect(events.map((e) => e.payload)).toContainEqual(expect.objectContaining({ bookingId: held.body.id, from: 'held', to: 'expired' }));
  });

  it('runs out when the app\'s clock passes its end: no waiting, no database edits (the queries ask the clock, not PostgreSQL\'s now())', async () => {
    const s = await makeSalon(t, { staffCount: 1, config: { holdMinutes: 15 } });
    const start = `${nextMonday()}T13:00:00.000Z`;
    const held = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start, client: { name: 'Платит', phone: '+79163330003' }, hold: true });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    // The booking answered is the one read back (the answer is built from the insert's own statement).
    expect((await s.api('GET', `/api/v1/bookings/${held.body.id}`)).body).toEqual({ ...held.body, origin: expect.any(Object) });
    const taken = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start, client: { name: 'Рано', phone: '+79163330004' } });
    expect(taken.body.code).toBe('BF_ERR_SLOT_TAKEN');

    t.clock.advance(16 * 60_000);
    const slots = await s.api('GET', `/api/v1/booking/slots?serviceId=${s.serviceId}&from=${start}&to=${new Date(Date.parse(start) + 3_600_000).toISOString()}`);
    expect(slots.body.items.map((x: any) => x.start)).toContain(start);
    const next = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start, client: { name: 'Следующая', phone: '+79163330005' } });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect((await s.api('GET', `/api/v1/bookings/${next.body.id}`)).body).toEqual({ ...next.body, origin: expect.any(Object) });
    expect((await s.api('GET', `/api/v1/bookings/${held.body.id}`)).body.status).toBe('expired');
  });
});
