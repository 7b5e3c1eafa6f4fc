import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
});
afterAll(() => t?.close());

describe('demo salon & spa', () => {
  it('has departments, 8+ staff, rooms, a device, 10+ services with a group class, and free slots', async () => {
    const token = await t.login(t.owner.email, t.owner.password);
    const services = await t.api('GET', '/api/v1/public/demo/services');
    expect(services.body.departments.length).toBeGreaterThanOrEqual(6);
    expect(services.body.items.length).toBeGreaterThanOrEqual(10);
    expect(services.body.items.some((s: any) => s.kind === 'group' && s.capacity > 1)).toBe(true);
    const resources = (await t.api('GET', '/api/v1/booking/resources', { token, tenant: 'demo' })).body.items;
    expect(resources.filter((r: any) => r.kind === 'staff').length).toBeGreaterThanOrEqual(8);
    expect(resources.some((r: any) => r.kind === 'room')).toBe(true);
    expect(resources.some((r: any) => r.kind === 'equipment')).toBe(true);
    for (const s of services.body.items) {
      const slots = await t.api('GET', `/api/v1/public/demo/slots?serviceId=${s.id}`);
      expect(slots.status).toBe(200);
      expect(slots.body.length, s.name).toBeGreaterThan(0);
    }
    const bookings = await t.api('GET', '/api/v1/bookings', { token, tenant: 'demo' });
    expect(bookings.body.total).toBeGreaterThanOrEqual(8);
  });
});
