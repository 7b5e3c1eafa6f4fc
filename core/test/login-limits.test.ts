import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ensureOwner } from '../seed/bootstrap.js';
import { LOGIN_LIMITS } from '../auth/login-limits.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';

let t: TestApp;
// Behind a trusted proxy each request may claim its own client address, as a botnet's would be.
beforeAll(async () => { t = await startTestApp({ plugins: [], seedDemo: false, start: false, config: { trustProxy: true } }); });
afterAll(async () => { await t?.close(); });

const login = (email: string, password: string, address: string) =>
  t.api('POST', '/api/v1/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': address } });

describe('login limits per account', () => {
  it('250 guesses at one account from 25 addresses meet a growing wait, and the owner waits minutes at most', async () => {
    await ensureOwner(t.app.db.db, 'target@limits.test', 'target-password-1');
    const answers = [];
    for (let i = 0; i < 250; i++) answers.push(await login('target@limits.test', `guess-${i}`, `198.51.100.${(i % 25) + 1}`));
    const checked = answers.filter((a) => a.status === 401).length;
    const refused = answers.filter((a) => a.status === 429);
    expect(checked).toBeGreaterThanOrEqual(LOGIN_LIMITS.FREE_FAILURES);
    expect(checked).toBeLessThan(25);
    expect(refused.length).toBe(250 - checked);
    expect(refused[0].body).toMatchObject({ code: 'BF_ERR_AUTH_TOO_MANY_ATTEMPTS', details: { scope: 'account' } });
    for (const r of refused) {
      expect(Number(r.headers.get('retry-after'))).toBe(r.body.details.retryAfter);
      expect(r.body.details.retryAfter).toBeLessThanOrEqual(LOGIN_LIMITS.CAP_SECONDS);
    }

    // While the account waits, even the right password is not checked: a guess could not tell it apart.
    expect((await login('target@limits.test', 'target-password-1', '192.0.2.1')).status).toBe(429);
    // Hundreds of failures later the wait is still capped.
    await sql`UPDATE login_account_limits SET failures = 1000, locked_until = now() - interval '1 second' WHERE email_key = 'target@limits.test'`.execute(t.app.db.db);
    expect((await login('target@limits.test', 'one-more-guess', '192.0.2.2')).status).toBe(401);
    const { rows } = await sql<{ wait: number }>`SELECT extract(epoch FROM locked_until - now())::float AS wait FROM login_account_limits WHERE email_key = 'target@limits.test'`.execute(t.app.db.db);
    expect(rows[0].wait).toBeLessThanOrEqual(LOGIN_LIMITS.CAP_SECONDS);
    // Once the wait is over the owner signs in, and that clears the streak.
    await sql`UPDATE login_account_limits SET locked_until = now() - interval '1 second' WHERE email_key = 'target@limits.test'`.execute(t.app.db.db);
    expect((await login('TARGET@limits.test', 'target-password-1', '192.0.2.1')).status).toBe(200);
    expect(await t.app.db.db.selectFrom('login_account_limits').select('failures').where('email_key', '=', 'target@limits.test').executeTakeFirst()).toBeUndefined();
   }, 240_000);

  it('counts unknown emails the same way, so the limit does not tell which accounts exist', async () => {
    const answers = [];
    for (let i = 0; i < 15; i++) answers.push((await login('ghost@limits.test', `guess-${i}`, `198.51.100.${i + 100}`)).status);
    expect(answers.slice(0, LOGIN_LIMITS.FREE_FAILURES)).toEqual(Array(LOGIN_LIMITS.FREE_FAILURES).fill(401));
    expect(answers).toContain(429);
  });
});

describe('login limits per address', () => {
  it('60 accounts sprayed from one address: refused after 30, while other addresses still sign in', async () => {
    await ensureOwner(t.app.db.db, 'bystander@limits.test', 'bystander-password-1');
    const statuses = [];
    for (let i = 0; i < 60; i++) statuses.push((await login(`sprayed-${i}@limits.test`, 'Summer2024!', '203.0.113.66')).status);
    expect(statuses.slice(0, LOGIN_LIMITS.ADDRESS_ACCOUNTS)).toEqual(Array(LOGIN_LIMITS.ADDRESS_ACCOUNTS).fill(401));
    expect(statuses.slice(LOGIN_LIMITS.ADDRESS_ACCOUNTS)).toEqual(Array(60 - LOGIN_LIMITS.ADDRESS_ACCOUNTS).fill(429));
    const refused = await login('sprayed-99@limits.test', 'Summer2024!', '203.0.113.66');
    expect(refused.body).toMatchObject({ code: 'BF_ERR_AUTH_TOO_MANY_ATTEMPTS', details: { scope: 'address' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.details.retryAfter).toBeLessThanOrEqual(LOGIN_LIMITS.ADDRESS_WINDOW_MINUTES * 60);
    // The sprayed accounts were not locked by it, and another address is not affected.
    expect((await login('bystander@limits.test', 'bystander-password-1', '203.0.113.67')).status).toBe(200);
  });
});
