import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

let t: TestApp;
let s: Salon;
beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
  s = await makeSalon(t);
});
afterAll(() => t?.close());

describe('booking API', () => {
  it('lists services and slots publicly, books one, and the slot is gone', async () => {
    const services = await t.api('GET', `/api/v1/public/${s.tenant}/services`);
    expect(services.status).toBe(200);
    expect(services.body.items.map((x: any) => x.name)).toContain('Классический массаж');

    const day = nextMonday();
    const slots = await t.api('GET', `/api/v1/public/${s.tenant}/slots?serviceId=${s.serviceId}&from=${day}T00:00:00Z&to=${day}T23:59:59Z`);
    expect(slots.status, JSON.stringify(slots.body)).toBe(200);
    // 10:00 Moscow = 07:00 UTC; the room is shared, so one slot per start.
    expect(slots.body[0]).toMatchObject({ start: `${day}T07:00:00.000Z`, end: `${day}T08:00:00.000Z`, kind: 'regular', price: 3000 });
    expect(slots.body[0].resourceIds).toHaveLength(2);
    expect(slots.body.some((x: any) => x.start === `${day}T11:00:00.000Z`)).toBe(false); // 14:00 is the break

    const booked = await t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start: `${day}T07:00:00.000Z`, client: { name: 'Анна', phone: '8 (916) 123-45-67' } } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body).toEqual({ id: expect.any(String), status: 'confirmed', start: `${day}T07:00:00.000Z`, end: `${day}T08:00:00.000Z`, serviceId: s.serviceId, resourceIds: expect.any(Array), kind: 'regular', price: 3000 });
    // An unproven website phone stays on the booking, off the client record.
    expect((await s.api('GET', `/api/v1/bookings/${booked.body.id}`)).body).toMatchObject({ client: { name: 'Анна', phone: null }, contactPhone: '+79161234567', source: 'widget' });

    const again = await t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start: `${day}T07:00:00.000Z`, client: { name: 'Борис', phone: '+79160000000' } } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('BF_ERR_SLOT_TAKEN');

    const after = await t.api('GET', `/api/v1/public/${s.tenant}/slots?serviceId=${s.serviceId}&from=${day}T00:00:00Z&to=${day}T23:59:59Z`);
    expect(after.body.some((x: any) => x.start === `${day}T07:00:00.000Z`)).toBe(false);

    const list = await s.api('GET', `/api/v1/bookings?from=${day}T00:00:00Z&to=${day}T23:59:59Z&q=Анна`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: booked.body.id, serviceId: s.serviceId, status: 'confirmed' });
  });

  it('a specialist sees and changes only bookings on their own resources', async () => {
    const day = nextMonday();
    const member = await t.addMember(s.token, `spec-${s.tenant}@test.local`, 'specialist', { tenant: s.tenant, name: 'Мастер 1' });
    const userId = member.userId;
    expect((await s.api('PATCH', `/api/v1/booking/resources/${s.staff[0]}`, { userId })).status).toBe(200);
    const mine = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: `${day}T12:00:00.000Z`, resourceIds: [s.staff[0]], client: { name: 'Своя', phone: '+79167770001' } });
    const other = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: `${day}T13:00:00.000Z`, resourceIds: [s.staff[1]], client: { name: 'Чужая', phone: '+79167770002' } });
    expect([mine.status, other.status]).toEqual([201, 201]);
    const token = member.token;
    const seen = await t.api('GET', '/api/v1/bookings', { token, tenant: s.tenant });
    // Earlier bookings of this business may have gone to the same specialist; none of another one's is shown.
    expect(seen.body.items.map((b: any) => b.id)).toContain(mine.body.id);
    expect(seen.body.items.every((b: any) => b.resourceIds.includes(s.staff[0]))).toBe(true);
    expect((await t.api('PATCH', `/api/v1/bookings/${other.body.id}`, { token, tenant: s.tenant, body: { status: 'arrived' } })).body.code).toBe('BF_ERR_BOOKING_NOT_FOUND');
    expect((await t.api('PATCH', `/api/v1/bookings/${mine.body.id}`, { token, tenant: s.tenant, body: { status: 'arrived' } })).body.status).toBe('arrived');
    expect((await t.api('POST', '/api/v1/booking/services', { token, tenant: s.tenant, body: { departmentId: s.departmentId, name: 'X', durationMin: 30 } })).body.code).toBe('BF_ERR_AUTH_FORBIDDEN');
  });

  it('public endpoints are rate-limited per business and address', async () => {
    const limited = await makeSalon(t, { config: { publicRateLimitPerMinute: 10 } });
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await t.api('GET', `/api/v1/public/${limited.tenant}/services`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Another business keeps its own budget.
    expect((await t.api('GET', `/api/v1/public/${s.tenant}/services`)).status).toBe(200);
  });

  it('documents the booking API in the OpenAPI document at /docs', async () => {
    const doc = await t.api('GET', '/docs/json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining([
      '/api/v1/public/{tenant}/services', '/api/v1/public/{tenant}/slots', '/api/v1/public/{tenant}/bookings',
      '/api/v1/bookings', '/api/v1/bookings/{id}', '/api/v1/bookings/export', '/api/v1/contacts', '/api/v1/booking/services', '/api/v1/booking/resources/{id}/schedule', '/api/v1/booking/exceptions',
    ]));
  });
});
