import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

let t: TestApp;
let s: Salon;
let specialist: string;
beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
  s = await makeSalon(t);
  const member = await t.addMember(s.token, `spec-${s.tenant}@test.local`, 'specialist', { tenant: s.tenant, name: 'Мастер' });
  expect((await s.api('PATCH', `/api/v1/booking/resources/${s.staff[0]}`, { userId: member.userId })).status).toBe(200);
  specialist = member.token;
});
afterAll(() => t?.close());

describe('what a specialist may not do', () => {
  it('list or read the business\'s clients (their phones)', async () => {
    const client = await s.api('POST', '/api/v1/contacts', { name: 'Чужой Клиент', phone: '+79168880001' });
    const list = await t.api('GET', '/api/v1/contacts', { token: specialist, tenant: s.tenant });
    expect([list.status, list.body.code]).toEqual([403, 'BF_ERR_AUTH_FORBIDDEN']);
    expect((await t.api('GET', `/api/v1/contacts/${client.body.id}`, { token: specialist, tenant: s.tenant })).status).toBe(403);
    expect((await s.api('GET', '/api/v1/contacts')).status).toBe(200);
  });

  it('move their own booking to other resources or outside the schedule', async () => {
    const day = nextMonday();
    const mine = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: `${day}T08:00:00.000Z`, resourceIds: [s.staff[0]], client: { name: 'Своя', phone: '+79168880002' } });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const patch = (body: unknown) => t.api('PATCH', `/api/v1/bookings/${mine.body.id}`, { token: specialist, tenant: s.tenant, body });
    const moved = await patch({ resourceIds: [s.staff[1], s.roomId] });
    expect([moved.status, moved.body.code, moved.body.details]).toEqual([403, 'BF_ERR_BOOKING_STAFF_ONLY', { field: 'resourceIds' }]);
    const forced = await patch({ start: `${day}T03:00:00.000Z`, force: true });
    expect([forced.status, forced.body.code, forced.body.details]).toEqual([403, 'BF_ERR_BOOKING_STAFF_ONLY', { field: 'force' }]);
    expect((await s.api('GET', `/api/v1/bookings/${mine.body.id}`)).body.start).toBe(`${day}T08:00:00.000Z`);
    // Still theirs to move in time.
    expect((await patch({ start: `${day}T09:00:00.000Z` })).status).toBe(200);
  });

  it('hand their booking to a colleague by moving it to a time they are busy', async () => {
    const day = nextMonday();
    const mine = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: `${day}T12:00:00.000Z`, resourceIds: [s.staff[0]], client: { name: 'Клиент', phone: '+79168880003' } });
    // Busy at 13:00 with a service that needs no room: the room and the colleague are free then.
    const talk = await s.api('POST', '/api/v1/booking/services', { departmentId: s.departmentId, name: 'Консультация', durationMin: 60 });
    await s.api('PUT', `/api/v1/booking/services/${talk.body.id}/staff`, { items: [{ resourceId: s.staff[0] }] });
    const busy = await s.api('POST', '/api/v1/bookings', { serviceId: talk.body.id, start: `${day}T13:00:00.000Z`, client: { name: 'Другой', phone: '+79168880004' } });
    expect(busy.body.resourceIds).toEqual([s.staff[0]]);
    const moved = await t.api('PATCH', `/api/v1/bookings/${mine.body.id}`, { token: specialist, tenant: s.tenant, body: { start: `${day}T13:00:00.000Z` } });
    expect([moved.status, moved.body.code]).toEqual([409, 'BF_ERR_SLOT_TAKEN']);
    expect((await s.api('GET', `/api/v1/bookings/${mine.body.id}`)).body).toMatchObject({ start: `${day}T12:00:00.000Z`, resourceIds: [s.staff[0], s.roomId] });
    // A manager may: the colleague and the room are free then.
    const byManager = await s.api('PATCH', `/api/v1/bookings/${mine.body.id}`, { start: `${day}T13:00:00.000Z` });
    expect(byManager.status).toBe(200);
    expect(byManager.body.resourceIds).not.toContain(s.staff[0]);
  });
});

describe('staff resources', () => {
  it('link only to members of this business', async () => {
    const other = await t.api('POST', '/api/v1/tenants', { token: s.token, body: { slug: `o-${s.tenant}`, name: 'Other salon', timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' } });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const outsider = await t.addMember(s.token, `out-${s.tenant}@test.local`, 'specialist', { tenant: `o-${s.tenant}`, name: 'Чужой' });
    const linked = await s.api('PATCH', `/api/v1/booking/resources/${s.staff[1]}`, { userId: outsider.userId });
    expect([linked.status, linked.body.code]).toEqual([400, 'BF_ERR_BOOKING_USER_NOT_MEMBER']);
    const created = await s.api('POST', '/api/v1/booking/resources', { departmentId: s.departmentId, kind: 'staff', name: 'Чужой мастер', userId: outsider.userId });
    expect(created.body.code).toBe('BF_ERR_BOOKING_USER_NOT_MEMBER');
    expect((await s.api('GET', `/api/v1/booking/resources/${s.staff[1]}`)).body.userId).toBeNull();
    // Unlinking is always allowed.
    expect((await s.api('PATCH', `/api/v1/booking/resources/${s.staff[1]}`, { userId: null })).status).toBe(200);
  });
});
