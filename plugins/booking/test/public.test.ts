import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

// What an anonymous caller of the public booking API may do and learn.
let t: TestApp;
let s: Salon;
beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
  s = await makeSalon(t);
});
afterAll(() => t?.close());

describe('public booking', () => {
  it('does not reveal the stored client a phone matches', async () => {
    const day = nextMonday();
    expect((await s.api('POST', '/api/v1/contacts', { name: 'Секретная Фамилия', phone: '+79165550101' })).status).toBe(201);
    const res = await t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start: `${day}T07:00:00.000Z`, client: { name: 'x', phone: '+7 916 555-01-01' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['end', 'id', 'kind', 'price', 'resourceIds', 'serviceId', 'start', 'status']);
    expect(JSON.stringify(res.body)).not.toContain('Секретная');
  });

  it('cannot hold time (anonymous holds would block the calendar)', async () => {
    const start = `${nextMonday()}T09:00:00.000Z`;
    const res = await t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start, client: { name: 'y', phone: '+79165550102' }, hold: true } });
    expect(res.status).toBe(400);
    expect((await s.api('GET', `/api/v1/bookings?status=held`)).body.items).toEqual([]);
  });
});
