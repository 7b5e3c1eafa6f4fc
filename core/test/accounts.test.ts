import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadConfig } from '../config.js';
import { ensureOwner } from '../seed/bootstrap.js';
import { createSession } from '../auth/sessions.js';
import { AUTH_PURGE_JOB } from '../auth/purge-job.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { until } from '../../test/helpers/wait.js';

let t: TestApp;
let owner: string;
const business = (slug: string) => ({ slug, name: `Business ${slug}`, timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' });
const linkToken = (link: string) => new URL(link).pathname.split('/').pop()!;
const userCount = async (email: string) =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM users WHERE lower(email) = ${email.toLowerCase()}`.execute(t.app.db.db)).rows[0].n);
const invite = (token: string, email: string, role: string, tenant?: string) => t.api('POST', '/api/v1/members/invitations', { token, tenant, body: { email, role } });
const accept = (link: string, body: Record<string, unknown>, token?: string) => t.api('POST', `/api/v1/invitations/${linkToken(link)}/accept`, { body, token });

beforeAll(async () => {
  t = await startTestApp({ plugins: [] });
  owner = await t.login(t.owner.email, t.owner.password);
});
afterAll(async () => { await t?.close(); });

describe('who may create a business (ALLOW_SIGNUP)', () => {
  it('reads owners (the default), all and none, and refuses anything else', () => {
    expect(loadConfig({}).allowSignup).toBe('owners');
    expect(loadConfig({ ALLOW_SIGNUP: 'all' }).allowSignup).toBe('all');
    expect(loadConfig({ ALLOW_SIGNUP: 'none' }).allowSignup).toBe('none');
    expect(() => loadConfig({ ALLOW_SIGNUP: 'everyone' })).toThrow(/ALLOW_SIGNUP/);
  });

  it('the takeover stops at its first step: a signed-in specialist may not open a business of their own', async () => {
    const specialist = await t.addMember(owner, 'spec@accounts.test', 'specialist');
    const res = await t.api('POST', '/api/v1/tenants', { token: specialist.token, body: business('spec-own') });
    expect(res).toMatchObject({ status: 403, body: { code: 'BF_ERR_TENANT_SIGNUP_CLOSED' } });
    expect(await t.app.db.db.selectFrom('tenants').select('id').where('slug', '=', 'spec-own').executeTakeFirst()).toBeUndefined();
  });

  it('by default owners and the bootstrap owner may; an account without a business may not', async () => {
    expect((await t.api('POST', '/api/v1/tenants', { token: owner, body: business('owner-second') })).status).toBe(201);
    await ensureOwner(t.app.db.db, 'loner@accounts.test', 'loner-password-1');
    const loner = await t.login('loner@accounts.test', 'loner-password-1');
    expect((await t.api('POST', '/api/v1/tenants', { token: loner, body: business('loner-own') })).body.code).toBe('BF_ERR_TENANT_SIGNUP_CLOSED');
  });

  it('with none only the bootstrap owner may, with all any signed-in account may', async () => {
    const coOwner = await t.addMember(owner, 'co-owner@accounts.test', 'owner');
    const closed = await startTestApp({ plugins: [], databaseUrl: t.databaseUrl, start: false, config: { allowSignup: 'none' } });
    try {
      expect((await closed.api('POST', '/api/v1/tenants', { token: coOwner.token, body: business('co-own') })).body.code).toBe('BF_ERR_TENANT_SIGNUP_CLOSED');
      expect((await closed.api('POST', '/api/v1/tenants', { token: owner, body: business('boot-own') })).status).toBe(201);
    } finally {
      await closed.close();
    }
    const open = await startTestApp({ plugins: [], databaseUrl: t.databaseUrl, start: false, config: { allowSignup: 'all' } });
    try {
      const loner = await open.login('loner@accounts.test', 'loner-password-1');
      expect((await open.api('POST', '/api/v1/tenants', { token: loner, body: business('loner-open') })).status).toBe(201);
    } finally {
      await open.close();
    }
  });
});

describe('the takeover where signup is open', () => {
  it('an attacker cannot create or claim the account a real business invites, nor set its password', async () => {
    const open = await startTestApp({ plugins: [], databaseUrl: t.databaseUrl, start: false, config: { allowSignup: 'all' } });
    try {
      await ensureOwner(t.app.db.db, 'attacker@evil.test', 'attacker-password-1');
      const attacker = await open.login('attacker@evil.test', 'attacker-password-1');
      expect((await open.api('POST', '/api/v1/tenants', { token: attacker, body: business('evil-co') })).status).toBe(201);
      const victim = 'victim@salon.test';

      // The old way in: add a stranger's email with a password the attacker chose.
      const direct = await open.api('POST', '/api/v1/members', { token: attacker, tenant: 'evil-co', body: { email: victim, role: 'owner', password: 'attacker-chosen-1' } });
      expect(direct).toMatchObject({ status: 410, body: { code: 'BF_ERR_MEMBER_INVITATION_REQUIRED' } });
      expect(await userCount(victim)).toBe(0);

      // Inviting creates no account and grants nothing.
      const evilInvite = await open.api('POST', '/api/v1/members/invitations', { token: attacker, tenant: 'evil-co', body: { email: victim, role: 'owner' } });
      expect(evilInvite.status).toBe(201);
      expect(await userCount(victim)).toBe(0);

      // The real business invites the same person; they accept with their own password.
      const real = await invite(owner, victim, 'owner', 'demo');
      expect((await accept(real.body.link, { password: 'victims-own-pass-9', name: 'Victim' })).status).toBe(200);

      // The attacker, holding their own link, tries to give the now existing account their password.
      const claim = await open.api('POST', `/api/v1/invitations/${linkToken(evilInvite.body.link)}/accept`, { body: { password: 'attacker-chosen-1' } });
      expect(claim).toMatchObject({ status: 401, body: { code: 'BF_ERR_AUTH_INVALID_CREDENTIALS' } });
      expect((await t.api('POST', '/api/v1/auth/login', { body: { email: victim, password: 'attacker-chosen-1' } })).status).toBe(401);
      const victimToken = await t.login(victim, 'victims-own-pass-9');
      expect((await t.api('GET', '/api/v1/auth/me', { token: victimToken })).body.businesses.map((b: any) => b.slug)).toEqual(['demo']);
    } finally {
      await open.close();
    }
  });

  it('an account made from a link keeps its password when a real business invites that email', async () => {
    const squat = await invite(owner, 'early@salon.test', 'specialist', 'owner-second');
    expect((await accept(squat.body.link, { password: 'first-holder-pass-1' })).status).toBe(200);
    const later = await invite(owner, 'early@salon.test', 'owner', 'demo');
    const other = await accept(later.body.link, { password: 'someone-else-pass-2' });
    expect(other).toMatchObject({ status: 401, body: { code: 'BF_ERR_AUTH_INVALID_CREDENTIALS' } });
    expect((await t.api('POST', '/api/v1/auth/login', { body: { email: 'early@salon.test', password: 'someone-else-pass-2' } })).status).toBe(401);
    const holder = await t.login('early@salon.test', 'first-holder-pass-1');
    expect((await t.api('GET', '/api/v1/tenant', { token: holder, tenant: 'demo' })).body.code).toBe('BF_ERR_TENANT_NOT_MEMBER');
  });
});

describe('invitations', () => {
  it('answers the same whether or not the email has an account, and grants nothing before acceptance', async () => {
    await ensureOwner(t.app.db.db, 'existing@accounts.test', 'existing-password-1');
    const known = await invite(owner, 'existing@accounts.test', 'manager');
    const unknown = await invite(owner, 'nobody-yet@accounts.test', 'manager');
    expect([known.status, unknown.status]).toEqual([201, 201]);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(unknown.body).sort());
    expect(Object.keys(known.body).sort()).toEqual(['email', 'expiresAt', 'id', 'link', 'role']);
    expect(known.body.link).toMatch(/\/studio\/invite\/[A-Za-z0-9_-]{40,}$/);
    expect(await userCount('nobody-yet@accounts.test')).toBe(0);
    const members = (await t.api('GET', '/api/v1/members', { token: owner })).body.items.map((m: any) => m.email);
    expect(members).not.toContain('existing@accounts.test');
    const pending = (await t.api('GET', '/api/v1/members/invitations', { token: owner })).body.items;
    expect(pending).toEqual(expect.arrayContaining([expect.objectContaining({ id: known.body.id, email: 'existing@accounts.test', role: 'manager', expired: false })]));
    expect(JSON.stringify(pending)).not.toContain(linkToken(known.body.link));
  });

  it('a new account chooses its own password under the rules, once', async () => {
    const inv = await invite(owner, 'newbie@accounts.test', 'specialist');
    const info = await t.api('GET', `/api/v1/invitations/${linkToken(inv.body.link)}`);
    expect(info).toMatchObject({ status: 200, body: { business: { slug: 'demo' }, email: 'newbie@accounts.test', role: 'specialist', accountExists: false } });
    expect((await accept(inv.body.link, {})).body.code).toBe('BF_ERR_INVITATION_PASSWORD_REQUIRED');
    for (const [password, reason] of [['short-pw', 'too_short'], ['          ', 'blank'], ['qwertyuiop', 'common'], ['Password123', 'common']]) {
      const weak = await accept(inv.body.link, { password });
      expect(weak, password).toMatchObject({ status: 400, body: { code: 'BF_ERR_AUTH_PASSWORD_WEAK', details: { reason, minLength: 10, path: '/body/password' } } });
    }
    const ok = await accept(inv.body.link, { password: 'newbie-chosen-pass', name: 'Newbie' });
    expect(ok).toMatchObject({ status: 200, body: { tenant: { slug: 'demo' }, role: 'specialist' } });
    expect((await t.api('GET', '/api/v1/auth/me', { token: ok.body.token })).body.businesses).toEqual([expect.objectContaining({ slug: 'demo', role: 'specialist' })]);
    expect((await accept(inv.body.link, { password: 'newbie-chosen-pass' })).body.code).toBe('BF_ERR_INVITATION_NOT_FOUND');
    expect((await t.api('GET', `/api/v1/invitations/${linkToken(inv.body.link)}`)).status).toBe(404);
    const audit = (await t.api('GET', `/api/v1/audit?entity=invitation&entityId=${inv.body.id}`, { token: owner })).body.items.map((r: any) => r.action);
    expect(audit).toEqual(['accept', 'create']);
  });

  it('an existing account accepts signed in as itself or with its own password, which stays as it was', async () => {
    await ensureOwner(t.app.db.db, 'veteran@accounts.test', 'veteran-password-1');
    const first = await invite(owner, 'veteran@accounts.test', 'manager');
    expect((await t.api('GET', `/api/v1/invitations/${linkToken(first.body.link)}`)).body.accountExists).toBe(true);
    expect((await accept(first.body.link, {})).body.code).toBe('BF_ERR_INVITATION_PASSWORD_REQUIRED');
    expect((await accept(first.body.link, { password: 'not-veterans-pass' })).body.code).toBe('BF_ERR_AUTH_INVALID_CREDENTIALS');
    expect((await accept(first.body.link, {}, owner)).body.code).toBe('BF_ERR_INVITATION_WRONG_ACCOUNT');
    const veteran = await t.login('veteran@accounts.test', 'veteran-password-1');
    expect((await accept(first.body.link, {}, veteran))).toMatchObject({ status: 200, body: { role: 'manager' } });
    const second = await invite(owner, 'veteran@accounts.test', 'admin', 'owner-second');
    expect((await accept(second.body.link, { password: 'veteran-password-1' })).status).toBe(200);
    expect((await t.api('GET', '/api/v1/auth/me', { token: veteran })).body.businesses.map((b: any) => [b.slug, b.role]))
      .toEqual([['demo', 'manager'], ['owner-second', 'admin']]);
    expect((await t.api('POST', '/api/v1/auth/login', { body: { email: 'veteran@accounts.test', password: 'veteran-password-1' } })).status).toBe(200);
  });

  it('can be withdrawn, is replaced by a newer one, expires, and is refused for a current member', async () => {
    const admin = await t.addMember(owner, 'inv-admin@accounts.test', 'admin');
    const ownerInvite = await invite(owner, 'future-owner@accounts.test', 'owner');
    expect((await t.api('DELETE', `/api/v1/members/invitations/${ownerInvite.body.id}`, { token: admin.token })).body.code).toBe('BF_ERR_AUTH_FORBIDDEN');
    expect((await t.api('DELETE', `/api/v1/members/invitations/${ownerInvite.body.id}`, { token: owner })).status).toBe(204);
    expect((await accept(ownerInvite.body.link, { password: 'future-owner-pass' })).body.code).toBe('BF_ERR_INVITATION_NOT_FOUND');
    expect((await t.api('GET', '/api/v1/members/invitations', { token: owner })).body.items.map((i: any) => i.id)).not.toContain(ownerInvite.body.id);

    const older = await invite(admin.token, 'twice@accounts.test', 'manager');
    const newer = await invite(admin.token, 'twice@accounts.test', 'specialist');
    expect((await accept(older.body.link, { password: 'twice-chosen-pass' })).body.code).toBe('BF_ERR_INVITATION_NOT_FOUND');

    await t.app.db.db.updateTable('invitations').set({ expires_at: new Date(t.clock.nowMs() - 1000) }).where('id', '=', newer.body.id).execute();
    expect((await t.api('GET', `/api/v1/invitations/${linkToken(newer.body.link)}`)).body.code).toBe('BF_ERR_INVITATION_EXPIRED');
    expect((await accept(newer.body.link, { password: 'twice-chosen-pass' })).status).toBe(410);
    expect(await userCount('twice@accounts.test')).toBe(0);

    expect((await invite(owner, 'inv-admin@accounts.test', 'manager')).body.code).toBe('BF_ERR_MEMBER_EXISTS');
    expect((await t.api('GET', '/api/v1/invitations/not-a-real-invitation-token')).body.code).toBe('BF_ERR_INVITATION_NOT_FOUND');
  });
});

describe('passwords and sessions', () => {
  it('changing the password needs the current one, follows the rules and ends every other session', async () => {
    const member = await t.addMember(owner, 'changer@accounts.test', 'manager', { password: 'changer-first-pass' });
    const laptop = await t.login('changer@accounts.test', 'changer-first-pass');
    const change = (body: unknown) => t.api('POST', '/api/v1/auth/password', { token: member.token, body });
    expect((await change({ currentPassword: 'wrong-current-pass', newPassword: 'changer-second-pass' })).body.code).toBe('BF_ERR_AUTH_CURRENT_PASSWORD_WRONG');
    expect((await change({ currentPassword: 'changer-first-pass', newPassword: 'short' })).body).toMatchObject({ code: 'BF_ERR_AUTH_PASSWORD_WEAK', details: { path: '/body/newPassword', reason: 'too_short' } });
    expect(await change({ currentPassword: 'changer-first-pass', newPassword: 'changer-second-pass' })).toMatchObject({ status: 200, body: { otherSessionsEnded: 1 } });
    expect((await t.api('GET', '/api/v1/auth/me', { token: laptop })).status).toBe(401);
    expect((await t.api('GET', '/api/v1/auth/me', { token: member.token })).status).toBe(200);
    expect((await t.api('POST', '/api/v1/auth/login', { body: { email: 'changer@accounts.test', password: 'changer-first-pass' } })).status).toBe(401);
    await t.login('changer@accounts.test', 'changer-second-pass');
    const audit = (await t.api('GET', `/api/v1/audit?entity=user&entityId=${member.userId}`, { token: owner })).body.items;
    expect(audit[0]).toMatchObject({ action: 'password-change', actor_id: member.userId });
  });

  it('logout-all ends every session of the account', async () => {
    const member = await t.addMember(owner, 'leaver@accounts.test', 'manager', { password: 'leaver-chosen-pass' });
    const phone = await t.login('leaver@accounts.test', 'leaver-chosen-pass');
    expect((await t.api('POST', '/api/v1/auth/logout-all', { token: member.token })).status).toBe(204);
    expect((await t.api('GET', '/api/v1/auth/me', { token: phone })).status).toBe(401);
    expect((await t.api('GET', '/api/v1/auth/me', { token: member.token })).status).toBe(401);
    expect((await t.api('GET', '/api/v1/auth/me', { token: owner })).status).toBe(200);
  });

  it('a job purges expired sessions', async () => {
    const { token } = await createSession(t.app.db.db, t.owner.userId, -1, t.clock.now());
    const live = await createSession(t.app.db.db, t.owner.userId, 1, t.clock.now());
    const rows = () => t.app.db.db.selectFrom('sessions').select('expires_at').where('user_id', '=', t.owner.userId).execute();
    expect((await rows()).some((r) => new Date(r.expires_at) < t.clock.now())).toBe(true);
    await t.app.scheduler.agenda.now(AUTH_PURGE_JOB, {});
    await until('expired sessions to be purged', async () => (await rows()).every((r) => new Date(r.expires_at) > t.clock.now()));
    expect((await t.api('GET', '/api/v1/auth/me', { token })).status).toBe(401);
    expect((await t.api('GET', '/api/v1/auth/me', { token: live.token })).status).toBe(200);
  });

  it('ADMIN_PASSWORD is the operator’s choice and is applied even when short', async () => {
    await ensureOwner(t.app.db.db, 'operator@accounts.test', 'op-short');
    expect((await t.api('POST', '/api/v1/auth/login', { body: { email: 'operator@accounts.test', password: 'op-short' } })).status).toBe(200);
  });
});
