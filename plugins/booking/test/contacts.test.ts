import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday } from './salon.js';

const at = (day: string, h: number) => `${day}T${String(h).padStart(2, '0')}:00:00.000Z`;

describe('booking on contacts', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t?.close());

  it('merging a duplicate moves its bookings and waitlist entries to the kept contact; restoring it from the trash moves them back', async () => {
    const s = await makeSalon(t);
    const kept = (await s.api('POST', '/api/v1/contacts', { name: 'Мария Кравец', phone: '+79167100001' })).body;
    const dup = (await s.api('POST', '/api/v1/contacts', { name: 'Маша К.', email: 'masha@example.com' })).body;
    const day = nextMonday();
    const booking = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(day, 8), client: { id: dup.id } });
    expect(booking.status, JSON.stringify(booking.body)).toBe(201);
    expect(booking.body.client).toEqual({ id: dup.id, name: 'Маша К.', phone: null });
    const waiting = await s.api('POST', '/api/v1/booking/waitlist', { clientId: dup.id, serviceId: s.serviceId, day });
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(201);

    const merged = await s.api('POST', `/api/v1/contacts/${kept.id}/merge`, { otherId: dup.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.identities.map((i: any) => i.value)).toEqual(['+79167100001', 'masha@example.com']);
    expect((await s.api('GET', `/api/v1/bookings?clientId=${kept.id}`)).body.items.map((b: any) => [b.id, b.client])).toEqual([[booking.body.id, { id: kept.id, name: 'Мария Кравец', phone: '+79167100001' }]]);
    expect((await s.api('GET', '/api/v1/booking/waitlist')).body.items.map((w: any) => w.clientId)).toEqual([kept.id]);
    // The duplicate's id still answers, as the contact it became; a booking for it lands on the kept one.
    expect((await s.api('GET', `/api/v1/contacts/${dup.id}`)).body.id).toBe(kept.id);
    const later = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(day, 12), client: { id: dup.id } });
    expect(later.body.client.id).toBe(kept.id);

    expect((await s.api('POST', `/api/v1/contacts/${kept.id}/merge`, { otherId: kept.id })).body.code).toBe('BF_ERR_CONTACT_MERGE_SELF');
    expect((await s.api('POST', `/api/v1/trash/contact/${dup.id}/restore`)).status).toBe(200);
    expect((await s.api('GET', `/api/v1/bookings?clientId=${dup.id}`)).body.items.map((b: any) => b.id)).toEqual([booking.body.id]);
    expect((await s.api('GET', `/api/v1/bookings?clientId=${kept.id}`)).body.items.map((b: any) => b.id)).toEqual([later.body.id]);
    expect((await s.api('GET', `/api/v1/contacts/${dup.id}`)).body.identities.map((i: any) => i.value)).toEqual(['masha@example.com']);
  });

  it('staff find bookings by the client\'s phone in any format', async () => {
    const s = await makeSalon(t);
    const made = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(nextMonday(), 9), client: { name: 'Ирина Соколова', phone: '8 916 710-00-02' } });
    expect(made.body.client.phone).toBe('+79167100002');
    for (const q of ['8 916 710-00-02', '+7 916 710 00 02', 'ирина', '7100002']) {
      expect((await s.api('GET', `/api/v1/bookings?q=${encodeURIComponent(q)}`)).body.items.map((b: any) => b.id), q).toEqual([made.body.id]);
    }
  });
});
