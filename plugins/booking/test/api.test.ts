import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

let t: TestApp;
let s: Salon;
beforeAll(async () => {
  t = await startTestApp();
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
    expect(booked.body).toMatchObject({ status: 'confirmed', start: `${day}T07:00:00.000Z`, client: { name: 'Анна', phone: '+79161234567' }, source: 'widget' });

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
});
