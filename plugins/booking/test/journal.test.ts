/** GET /booking/journal: the day's columns in the business's order and its bookings between the business's midnights. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

let t: TestApp;
let s: Salon;
beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
  s = await makeSalon(t, { timezone: 'Asia/Vladivostok', staffCount: 1 });
});
afterAll(() => t?.close());

const journal = (query: string) => s.api('GET', `/api/v1/booking/journal${query}`);

describe('the journal of a day', () => {
  it('orders staff by department as the business sorts them, then rooms and equipment', async () => {
    // Named so that alphabetical order would be the wrong one.
    const late = (await s.api('POST', '/api/v1/booking/departments', { name: 'Аааа ногти', sort: 5 })).body;
    await s.api('PATCH', `/api/v1/booking/departments/${s.departmentId}`, { sort: 1 });
    const nails = (await s.api('POST', '/api/v1/booking/resources', { departmentId: late.id, kind: 'staff', name: 'Анна' })).body;
    const lamp = (await s.api('POST', '/api/v1/booking/resources', { departmentId: late.id, kind: 'equipment', name: 'Аппарат' })).body;
    const res = await journal(`?date=${nextMonday()}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.columns.map((c: { id: string }) => c.id)).toEqual([s.staff[0], nails.id, s.roomId, lamp.id]);
    expect(res.body.columns[1]).toMatchObject({ kind: 'staff', name: 'Анна', departmentName: 'Аааа ногти' });
  });

  it('holds the bookings between the business\'s midnights, not UTC\'s, and leaves cancelled ones off', async () => {
    const day = nextMonday();
    // 10:00 in Vladivostok (UTC+10) is 00:00 UTC of the same date; 18:00 there is 08:00 UTC.
    const book = (start: string) => s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start, resourceIds: [s.staff[0], s.roomId], client: { name: 'Ирина Утренняя', phone: '+79161112233' } });
    const morning = await book(`${day}T00:00:00.000Z`);
    expect(morning.status, JSON.stringify(morning.body)).toBe(201);
    const evening = (await book(`${day}T08:00:00.000Z`)).body;
    await s.api('PATCH', `/api/v1/bookings/${evening.id}`, { status: 'cancelled', cancelReason: 'передумала' });
    const res = await journal(`?date=${day}`);
    expect(res.body).toMatchObject({ timezone: 'Asia/Vladivostok', from: `${prev(day)}T14:00:00.000Z`, to: `${day}T14:00:00.000Z` });
    expect(res.body.bookings.map((b: { id: string }) => b.id)).toEqual([morning.body.id]);
    expect(res.body.bookings[0]).toMatchObject({ serviceName: 'Классический массаж', client: { name: 'Ирина Утренняя' } });
    // The UTC date before it does not hold it: that day ends at 14:00 UTC on the eve.
    expect((await journal(`?date=${prev(day)}`)).body.bookings).toEqual([]);
    expect((await journal(`?date=${prev(day)}&days=2`)).body.bookings).toHaveLength(1);
  });

  it('shows a specialist only their own columns and bookings', async () => {
    const member = await t.addMember(s.token, `spec-j-${s.tenant}@test.local`, 'specialist', { tenant: s.tenant, name: 'Мастер' });
    await s.api('PATCH', `/api/v1/booking/resources/${s.staff[0]}`, { userId: member.userId });
    const res = await t.api('GET', `/api/v1/booking/journal?date=${nextMonday()}`, { token: member.token, tenant: s.tenant });
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c: { id: string }) => c.id)).toEqual([s.staff[0]]);
    expect(res.body.bookings).toHaveLength(1);
  });

  it('refuses a day that does not exist and too long a period ', async () => {
    const bad = await journal('?date=2031-02-30');
    expect([bad.status, bad.body.code]).toEqual([400, expect.stringMatching(/^BF_ERR_/)]);
    const long = await journal(`?date=${nextMonday()}&days=40`);
    expect([long.status, long.body.code]).toEqual([400, 'BF_ERR_VALIDATION_FAILED']);
  });
});

function prev(day: string): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
