import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { BusinessProfiles, PROFILE_TTL_MS } from '../tenants/profile.js';

let t: TestApp;
let owner: string;
let tenantId: string;

beforeAll(async () => {
  t = await startTestApp({ start: false, seedDemo: false });
  owner = await t.login(t.owner.email, t.owner.password);
  const res = await t.api('POST', '/api/v1/tenants', { token: owner, body: { slug: 'tz-spa', name: 'TZ Spa', timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' } });
  expect(res.status).toBe(201);
  tenantId = res.body.id;
});
afterAll(() => t?.close());

describe('the business profile, the one place core and plugins read a business\'s zone, currency and locale', () => {
  it('follows PATCH /tenant once the cached value is older than its TTL', async () => {
    let clock = 1_000_000;
    const profiles = new BusinessProfiles(t.app.db.db, () => clock);
    expect(await profiles.get(tenantId)).toMatchObject({ slug: 'tz-spa', timezone: 'Europe/Berlin', currency: 'EUR', locale: 'en' });
    const patched = await t.api('PATCH', '/api/v1/tenant', { token: owner, tenant: 'tz-spa', body: { timezone: 'Europe/Kyiv' } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await profiles.get(tenantId)).timezone).toBe('Europe/Berlin');
    clock += PROFILE_TTL_MS;
    expect((await profiles.get(tenantId)).timezone).toBe('Europe/Kyiv');
  });
});
