import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

// The desk offers a waiter a free time it chose (POST /booking/waitlist/:id/offer): held and announced as the automatic offer is.
let t: TestApp;
let s: Salon;
const day = nextMonday();
const at = (hhmm: string) => `${day}T${hhmm}:00.000Z`;
beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
  s = await makeSalon(t, { staffCount: 1 });
});
afterAll(() => t?.close());

async function waiter(name: string, phone: string) {
  const c = (await s.api('POST', '/api/v1/contacts', { name, phone })).body;
  const w = await s.api('POST', '/api/v1/booking/waitlist', { clientId: c.id, serviceId: s.serviceId, day });
  expect(w.status, JSON.stringify(w.body)).toBe(201);
  return { clientId: c.id, entry: w.body };
}

describe('offering a waiter a time at the desk', () => {
  it('holds the chosen free time until the claim deadline, announces the offer, and the desk claims it', async () => {
    const { clientId, entry } = await waiter('Ждущая', '+79167770001');
    const slots = (await s.api('GET', `/api/v1/booking/slots?serviceId=${s.serviceId}&from=${at('00:00')}&to=${at('23:59')}`)).body.items;
    const slot = slots.find((x: any) => x.start === at('08:00'));
    const offered = await s.api('POST', `/api/v1/booking/waitlist/${entry.id}/offer`, { start: slot.start, resourceIds: slot.resourceIds });
    expect(offered.status, JSON.stringify(offered.body)).toBe(200);
    expect(offered.body).toMatchObject({ id: entry.id, status: 'offered', day, offer: { start: at('08:00'), resourceIds: slot.resourceIds, bookingId: expect.any(String) } });
    const hold = (await s.api('GET', `/api/v1/bookings/${offered.body.offer.bookingId}`)).body;
    expect(hold).toMatchObject({ status: 'held', client: { id: clientId }, start: at('08:00'), origin: { source: 'waitlist' } });
    // The claim deadline is the config's waitlistClaimMinutes (30) from now on the app's clock.
    expect(Date.parse(offered.body.offer.expiresAt) - t.clock.now().getTime()).toBeGreaterThan(29 * 60_000);
    const events = await sql<{ payload: any }>`SELECT payload FROM outbox WHERE tenant_id = ${s.tenantId} AND type = 'booking.waitlist-offered'`.execute(t.app.db.db);
    expect(events.rows.map((r) => r.payload)).toEqual([expect.objectContaining({ waitlistId: entry.id, clientId, bookingId: hold.id, start: at('08:00') })]);
    // The time is the waiter's meanwhile: nobody else gets it.
    const other = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at('08:00'), client: { name: 'Другая', phone: '+79167770009' } });
    expect([other.status, other.body.code]).toEqual([409, 'BF_ERR_SLOT_TAKEN']);

    const again = await s.api('POST', `/api/v1/booking/waitlist/${entry.id}/offer`, { start: at('09:00') });
    expect([again.status, again.body.code]).toEqual([409, 'BF_ERR_BOOKING_WAITLIST_NOT_WAITING']);
    expect(again.body.details).toMatchObject({ id: entry.id, status: 'offered' });
    const claimed = await s.api('POST', `/api/v1/booking/waitlist/${entry.id}/claim`);
    expect(claimed.body).toMatchObject({ id: hold.id, status: 'confirmed' });
  });

  it('refuses a time that is taken or outside the schedule, an unknown entry, bad input and a specialist', async () => {
    const { entry } = await waiter('Вторая', '+79167770002');
    const busy = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at('12:00'), client: { name: 'Занятая', phone: '+79167770003' } });
    expect(busy.status).toBe(201);
    const taken = await s.api('POST', `/api/v1/booking/waitlist/${entry.id}/offer`, { start: at('12:00') });
    expect([taken.status, taken.body.code]).toEqual([409, 'BF_ERR_SLOT_TAKEN']);
    const closed = await s.api('POST', `/api/v1/booking/waitlist/${entry.id}/offer`, { start: at('20:00') });
    expect([closed.status, closed.body.code]).toEqual([409, 'BF_ERR_BOOKING_SLOT_UNAVAILABLE']);
    // Nothing was held by the refusals: the entry still waits.
    const list = (await s.api('GET', '/api/v1/booking/waitlist?status=waiting')).body.items;
    expect(list.find((e: any) => e.id === entry.id)).toMatchObject({ status: 'waiting', offer: null });

    const unknown = await s.api('POST', '/api/v1/booking/waitlist/00000000-0000-4000-8000-000000000000/offer', { start: at('13:00') });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'BF_ERR_BOOKING_WAITLIST_NOT_FOUND']);
    for (const body of [{}, { start: 'tomorrow' }, { start: at('13:00'), resourceIds: ['x'] }, { start: at('13:00'), extra: 1 }]) {
      const bad = await s.api('POST', `/api/v1/booking/waitlist/${entry.id}/offer`, body);
      expect([bad.status, bad.body.code], JSON.stringify(body)).toEqual([400, 'BF_ERR_VALIDATION_FAILED']);
    }
    const specialist = await t.addMember(s.token, `offer-spec-${s.tenant}@test.local`, 'specialist', { tenant: s.tenant });
    const refused = await t.api('POST', `/api/v1/booking/waitlist/${entry.id}/offer`, { token: specialist.token, tenant: s.tenant, body: { start: at('13:00') } });
    expect(refused.status).toBe(403);
    const ok = await s.api('POST', `/api/v1/booking/waitlist/${entry.id}/offer`, { start: at('13:00') });
    expect(ok.body).toMatchObject({ status: 'offered', offer: { start: at('13:00') } });
  });
});
