/**
 * Booking's segment fields over real bookings made through booking's HTTP API: visits, last visit, services
 * and departments used, an upcoming booking and no-shows, evaluated by core's segments at the app's clock,
 * per business.
 */
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

let t: TestApp;
let s: Salon;
let other: Salon;
let day: string;
let hair: { departmentId: string; serviceId: string };
const client: Record<string, string> = {};

/** yyyy-mm-dd + n days, at hh:mm in Moscow (the salon's zone). */
const at = (plusDays: number, hhmm: string) => DateTime.fromISO(`${day}T${hhmm}`, { zone: 'Europe/Moscow' }).plus({ days: plusDays }).toISO()!;

/**
 * A booking through booking's API, moved along `statuses`. Booking keeps its clients as contacts (issue 9 §1:
 * its client id is the contact id); where that move has not landed yet, the contact row is written here with
 * the client's id, and where it has, the row is there already.
 */
async function book(salon: Salon, start: string, name: string, phone: string, statuses: string[], serviceId = salon.serviceId): Promise<string> {
  const res = await salon.api('POST', '/api/v1/bookings', { serviceId, start, client: { name, phone } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  for (const status of statuses) {
    const moved = await salon.api('PATCH', `/api/v1/bookings/${res.body.id}`, { status });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  }
  const clientId = res.body.client.id as string;
  await sql`INSERT INTO contacts (tenant_id, id, name) VALUES (${salon.tenantId}, ${clientId}, ${name}) ON CONFLICT DO NOTHING`.execute(t.app.db.db);
  return clientId;
}

async function names(salon: Salon, rule: unknown): Promise<string[]> {
  const res = await salon.api('POST', '/api/v1/segments/preview', { rule });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.sample.map((c: { name: string }) => c.name).sort();
}
const cond = (field: string, op: string, value: unknown) => ({ field, op, value });

beforeAll(async () => {
  // The clock moves days ahead: the sign-in must outlast it.
  t = await startTestApp({ plugins: ['booking'], config: { sessionTtlHours: 24 * 30 } });
  s = await makeSalon(t);
  other = await makeSalon(t);
  day = nextMonday();
  const dep = await s.api('POST', '/api/v1/booking/departments', { name: 'Волосы' });
  const service = await s.api('POST', '/api/v1/booking/services', { departmentId: dep.body.id, name: 'Стрижка', durationMin: 30, price: 1500 });
  expect((await s.api('PUT', `/api/v1/booking/services/${service.body.id}/staff`, { items: s.staff.map((resourceId) => ({ resourceId })) })).status).toBe(200);
  hair = { departmentId: dep.body.id, serviceId: service.body.id };

  client.olga = await book(s, at(0, '10:00'), 'Ольга', '+79160000001', ['arrived', 'completed']);
  await book(s, at(1, '11:00'), 'Ольга', '+79160000001', ['arrived', 'completed']);
  client.pavel = await book(s, at(0, '12:00'), 'Павел', '+79160000002', ['no_show']);
  await book(s, at(7, '10:00'), 'Павел', '+79160000002', []);
  client.rita = await book(s, at(0, '16:00'), 'Рита', '+79160000003', ['arrived', 'completed'], hair.serviceId);
  // Another business: the same id as Olga's (a contact key is per business) with visits of its own that must not count here.
  const theirs = await book(other, at(0, '10:00'), 'Чужая', '+79160000009', ['arrived', 'completed']);
  await sql`INSERT INTO contacts (tenant_id, id, name) VALUES (${s.tenantId}, ${theirs}, 'Тёзка') ON CONFLICT DO NOTHING`.execute(t.app.db.db);
  // Two days on: the visits are past, Pavel's second booking is still ahead.
  t.clock.set(at(2, '12:00'));
}, 120_000);
afterAll(() => t?.close());

describe("booking's segment fields", () => {
  it('visits and no-shows count completed bookings and no-shows of this business only', async () => {
    expect(await names(s, cond('booking.visits', 'eq', 2))).toEqual(['Ольга']);
    expect(await names(s, cond('booking.visits', 'gt', 0))).toEqual(['Ольга', 'Рита']);
    expect(await names(s, cond('booking.visits', 'eq', 0))).toEqual(['Павел', 'Тёзка']);
    expect(await names(s, cond('booking.noShows', 'gte', 1))).toEqual(['Павел']);
    expect(await names(other, cond('booking.visits', 'eq', 1))).toEqual(['Чужая']);
  });

  it('the last visit is a date in the salon’s days', async () => {
    expect(await names(s, cond('booking.lastVisit', 'withinLastDays', 1))).toEqual(['Ольга']);
    expect(await names(s, cond('booking.lastVisit', 'withinLastDays', 2))).toEqual(['Ольга', 'Рита']);
    expect(await names(s, cond('booking.lastVisit', 'olderThanDays', 1))).toEqual(['Рита']);
    expect(await names(s, cond('booking.lastVisit', 'exists', false))).toEqual(['Павел', 'Тёзка']);
  });

  it('services and departments used, with their names as options', async () => {
    expect(await names(s, cond('booking.services', 'contains', s.serviceId))).toEqual(['Ольга']);
    expect(await names(s, cond('booking.services', 'in', [hair.serviceId]))).toEqual(['Рита']);
    expect(await names(s, cond('booking.departments', 'contains', hair.departmentId))).toEqual(['Рита']);
    expect(await names(s, cond('booking.departments', 'notIn', [s.departmentId]))).toEqual(['Павел', 'Рита', 'Тёзка']);
    const fields = await s.api('GET', '/api/v1/segments/fields');
    const services = fields.body.items.find((f: { key: string }) => f.key === 'booking.services');
    expect(services.options).toEqual([{ value: s.serviceId, label: 'Классический массаж' }, { value: hair.serviceId, label: 'Стрижка' }]);
    expect(services.label).toBe('Пользовался услугами');
  });

  it('an upcoming booking, by the app’s clock', async () => {
    expect(await names(s, cond('booking.upcoming', 'eq', true))).toEqual(['Павел']);
    t.clock.set(at(8, '12:00'));
    expect(await names(s, cond('booking.upcoming', 'eq', true))).toEqual([]);
    expect(await names(s, { all: [cond('booking.upcoming', 'eq', false), cond('booking.visits', 'gte', 1)] })).toEqual(['Ольга', 'Рита']);
    t.clock.set(at(2, '12:00'));
  });

  it('off with the plugin: a business without booking has no booking fields', async () => {
    expect((await other.api('PUT', '/api/v1/plugins/booking/enabled', { enabled: false })).status).toBe(200);
    t.app.host.forget(other.tenantId);
    const res = await other.api('POST', '/api/v1/segments/preview', { rule: cond('booking.visits', 'gt', 0) });
    expect(res.status).toBe(400);
    expect(res.body.details.errors[0].path).toBe('/body/rule/field');
  });
});
