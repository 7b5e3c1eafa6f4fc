import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp({ plugins: [] }); });
afterAll(async () => { await t?.close(); });

describe('auth', () => {
  it('logs in and reads /auth/me', async () => {
    const token = await t.login(t.owner.email, t.owner.password);
    const me = await t.api('GET', '/api/v1/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(t.owner.email);
    expect(me.body.businesses.map((b: any) => b.slug)).toEqual(['demo']);
  });

  it('refuses a wrong password with a coded error', async () => {
    const res = await t.api('POST', '/api/v1/auth/login', { body: { email: t.owner.email, password: 'nope' } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('BF_ERR_AUTH_INVALID_CREDENTIALS');
  });

  it('names the bad field', async () => {
    const res = await t.api('POST', '/api/v1/auth/login', { body: { email: 'not-an-email' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BF_ERR_VALIDATION_FAILED');
    const paths = res.body.details.errors.map((e: any) => e.path);
    expect(paths).toContain('/body/email');
    expect(paths).toContain('/body/password');
  });

  it('X-Tenant names a business by slug or id; an unknown one is a 404, another\'s a 403', async () => {
    const token = await t.login(t.owner.email, t.owner.password);
    const slug = (await t.api('GET', '/api/v1/tenant', { token, tenant: 'demo' })).body;
    expect(slug).toMatchObject({ id: t.demoTenantId, slug: 'demo' });
    expect((await t.api('GET', '/api/v1/tenant', { token, tenant: t.demoTenantId })).body.id).toBe(t.demoTenantId);
    const unknown = await t.api('GET', '/api/v1/tenant', { token, tenant: 'no-such-business' });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'BF_ERR_TENANT_NOT_FOUND' } });
    const other = await t.api('POST', '/api/v1/tenants', { token, body: { slug: 'someone-else', name: 'Someone else', timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' } });
    expect(other.status).toBe(201);
    const outsider = await t.addMember(token, 'outsider@test.local', 'admin');
    const foreign = await t.api('GET', '/api/v1/tenant', { token: outsider.token, tenant: 'someone-else' });
    expect(foreign).toMatchObject({ status: 403, body: { code: 'BF_ERR_TENANT_NOT_MEMBER' } });
    expect((await t.api('GET', '/api/v1/tenant', { token: outsider.token, tenant: 'demo' })).status).toBe(200);
  });

  it('answers /health', async () => {
    const res = await t.api('GET', '/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
