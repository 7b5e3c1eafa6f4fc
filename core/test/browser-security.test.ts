import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';

let t: TestApp;

// TRUST_PROXY=true: the tests play a TLS-terminating proxy with X-Forwarded-Proto.
beforeAll(async () => {
  t = await startTestApp({ plugins: [], config: { trustProxy: true } });
});
afterAll(async () => {
  await t?.close();
});

/** Signs in the way the studio does; returns the cookies as name → value and their Set-Cookie lines. */
async function cookieLogin(headers: Record<string, string> = {}): Promise<{ cookies: Record<string, string>; lines: string[]; body: any }> {
  const res = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email: t.owner.email, password: t.owner.password }) });
  expect(res.status).toBe(200);
  const lines = res.headers.getSetCookie();
  const cookies = Object.fromEntries(lines.map((l) => l.split(';')[0].split('=') as [string, string]));
  return { cookies, lines, body: await res.json() };
}

const cookieHeader = (cookies: Record<string, string>) => Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');

describe('security headers', () => {
  it('the studio, the API docs and the API send CSP, no framing, no referrer and nosniff', async () => {
    for (const path of ['/studio/', '/docs/', '/health', '/api/v1/auth/me', '/api/v1/public/demo/services']) {
      const res = await fetch(t.url + path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("default-src 'self'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});

describe('signing in by cookie', () => {
  it('sets an httpOnly SameSite session cookie, Secure behind https, and still returns the token to API clients', async () => {
    const { cookies, lines, body } = await cookieLogin();
    expect(body.token).toEqual(expect.any(String));
    const session = lines.find((l) => l.startsWith('bf_session='))!;
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Strict/i);
    expect(session).toMatch(/; Path=\//i);
    expect(session).not.toMatch(/; Secure/i);
    expect(lines.find((l) => l.startsWith('bf_csrf='))).not.toMatch(/HttpOnly/i);
    expect(cookies.bf_csrf).not.toBe(cookies.bf_session);

    const overTls = await cookieLogin({ 'x-forwarded-proto': 'https' });
    expect(overTls.lines.every((l) => /; Secure/i.test(l))).toBe(true);
  });

  it('reads with the cookie alone; a change needs the X-CSRF-Token header matching the session', async () => {
    const { cookies } = await cookieLogin();
    const cookie = cookieHeader(cookies);
    expect((await t.api('GET', '/api/v1/auth/me', { headers: { cookie } })).body.user.email).toBe(t.owner.email);

    const rename = (headers: Record<string, string>) => t.api('PATCH', '/api/v1/tenant', { headers: { cookie, ...headers }, body: { name: 'Renamed by cookie' } });
    expect(await rename({})).toMatchObject({ status: 403, body: { code: 'BF_ERR_AUTH_CSRF_FAILED' } });
    // Another session's CSRF token does not fit this one.
    const other = await cookieLogin();
    expect(await rename({ 'x-csrf-token': other.cookies.bf_csrf })).toMatchObject({ status: 403, body: { code: 'BF_ERR_AUTH_CSRF_FAILED' } });
    expect(await rename({ 'x-csrf-token': cookies.bf_csrf })).toMatchObject({ status: 200, body: { name: 'Renamed by cookie' } });
  });

  it('bearer clients need no CSRF header', async () => {
    const token = await t.login(t.owner.email, t.owner.password);
    expect((await t.api('PATCH', '/api/v1/tenant', { token, body: { name: 'Renamed by bearer' } })).status).toBe(200);
  });

  it('accepting an invitation signs in by cookie as well', async () => {
    const owner = await t.login(t.owner.email, t.owner.password);
    const invited = await t.api('POST', '/api/v1/members/invitations', { token: owner, body: { email: 'cookie-invitee@security.test', role: 'manager' } });
    expect(invited.status).toBe(201);
    const link = new URL(invited.body.link).pathname.split('/').pop();
    const res = await fetch(`${t.url}/api/v1/invitations/${link}/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'invitee-long-password', name: 'Invitee' }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().map((l) => l.split(';')[0]).join('; ');
    expect((await t.api('GET', '/api/v1/auth/me', { headers: { cookie } })).body.user.email).toBe('cookie-invitee@security.test');
  });

  it('signing out clears the cookies and ends the session', async () => {
    const { cookies } = await cookieLogin();
    const cookie = cookieHeader(cookies);
    const out = await fetch(`${t.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': cookies.bf_csrf } });
    expect(out.status).toBe(204);
    const cleared = out.headers.getSetCookie();
    expect(cleared.find((l) => l.startsWith('bf_session=;'))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(cleared.find((l) => l.startsWith('bf_csrf=;'))).toBeDefined();
    expect((await t.api('GET', '/api/v1/auth/me', { headers: { cookie } })).status).toBe(401);
  });
});
