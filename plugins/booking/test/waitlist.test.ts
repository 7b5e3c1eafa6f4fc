import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { until } from '../../../test/helpers/wait.js';
import { codeSinkPluginsDir } from './code-sink.js';
import { makeSalon, nextMonday, verify } from './salon.js';

const pluginsDir = codeSinkPluginsDir();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ pluginsDir });
});
afterAll(() => t?.close());

describe('waitlist', () => {
  it('cancelling an offered entry cancels the hold it kept, and the time is free again', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const day = nextMonday();
    const book = (h: string, phone = '+79166669901') => t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start: `${day}T${h}:00:00.000Z`, client: { name: 'Занятая', phone } } });
    const first = await book('07');
    const verificationToken = await verify(t, s, { phone: '+79166669902' });
    const wait = await t.api('POST', `/api/v1/public/${s.tenant}/waitlist`, { body: { serviceId: s.serviceId, day, client: { name: 'Ждущая', phone: '+79166669902' }, verificationToken } });
    expect(wait.status).toBe(201);
    await s.api('PATCH', `/api/v1/bookings/${first.body.id}`, { status: 'cancelled', cancelReason: 'Передумала' });
    const offered = await until('offer', async () => (await s.api('GET', '/api/v1/booking/waitlist?status=offered')).body.items[0]);
    expect((await s.api('GET', `/api/v1/bookings/${offered.offer.bookingId}`)).body.status).toBe('held');

    expect((await s.api('DELETE', `/api/v1/booking/waitlist/${wait.body.id}`)).status).toBe(204);
    expect((await s.api('GET', `/api/v1/bookings/${offered.offer.bookingId}`)).body.status).toBe('cancelled');
    expect((await book('07', '+79166669903')).status).toBe(201);
  });
});
