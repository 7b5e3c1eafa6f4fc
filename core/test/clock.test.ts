import { afterAll, describe, expect, it } from 'vitest';
import { clockFromEnv, ShiftedClock } from '../clock.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';

let t: TestApp | undefined;
afterAll(() => t?.close());

describe('the clock', () => {
  it('BOOKFLOW_FAKE_NOW starts it at that instant and it runs on; set and advance move one clock, not its forks', () => {
    const moved = clockFromEnv({ BOOKFLOW_FAKE_NOW: '2028-02-29T23:30:00+03:00' });
    const at = moved.nowMs() - Date.parse('2028-02-29T20:30:00Z');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(60_000);
    expect(Math.abs(clockFromEnv({}).nowMs() - Date.now())).toBeLessThan(60_000);
    expect(() => clockFromEnv({ BOOKFLOW_FAKE_NOW: 'tomorrow' })).toThrow(/not an instant/);

    const clock = new ShiftedClock();
    const fork = clock.fork();
    clock.set('2030-01-01T00:00:00Z');
    clock.advance(3_600_000);
    expect(clock.now().toISOString().slice(0, 13)).toBe('2030-01-01T01');
    expect(Math.abs(fork.nowMs() - Date.now())).toBeLessThan(60_000);
  });

  it('a sign-in runs out when the app\'s clock passes SESSION_TTL_HOURS, without waiting', async () => {
    t = await startTestApp({ plugins: [], seedDemo: false, config: { sessionTtlHours: 12 } });
    const token = await t.login(t.owner.email, t.owner.password);
    expect((await t.api('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    t.clock.advance(12 * 3_600_000 + 1000);
    expect((await t.api('GET', '/api/v1/auth/me', { token })).body.code).toBe('BF_ERR_AUTH_TOKEN_EXPIRED');
  });
});
