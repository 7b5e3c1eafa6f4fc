import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';

let t: TestApp | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

/** Eleven failed logins for one email, each claiming another client address; the statuses. */
async function loginsFromRotatingAddresses(app: TestApp): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 1; i <= 11; i++) {
    const res = await app.api('POST', '/api/v1/auth/login', { body: { email: 'victim@test.local', password: 'guess' }, headers: { 'x-forwarded-for': `203.0.113.${i}` } });
    statuses.push(res.status);
  }
  return statuses;
}

describe('TRUST_PROXY', () => {
  it('parses unset, booleans, hop counts and address lists', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });

  it('by default ignores X-Forwarded-For: rotating it does not escape the login limit', async () => {
    t = await startTestApp({ plugins: [], seedDemo: false, start: false });
    const statuses = await loginsFromRotatingAddresses(t);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('behind a trusted proxy takes the client address from X-Forwarded-For', async () => {
    t = await startTestApp({ plugins: [], seedDemo: false, start: false, config: { trustProxy: ['127.0.0.1'] } });
    expect((await loginsFromRotatingAddresses(t)).every((s) => s === 401)).toBe(true);
  });
});
