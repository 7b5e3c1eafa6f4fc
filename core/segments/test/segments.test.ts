/**
 * Segments over real PostgreSQL and HTTP: every operator of every field type, nested groups, a plugin's
 * fields (only while it is enabled), DST-safe days in the business's zone from the app's clock, bad rules
 * answered with their path, values that try SQL injection, tenant isolation, the built-in `all`, CRUD with
 * audit and trash, and `ctx.segments` paging for plugins.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShiftedClock } from '../../clock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { tempPluginsDir } from '../../../test/helpers/plugins.js';
import { addContact, POINTS_PLUGIN } from './fixtures.js';

// Monday 30 March 2026, 10:00 in Berlin: the clocks went forward on Sunday, so "7 days back" spans a 23-hour day.
const NOW = '2026-03-30T08:00:00Z';
const plugins = tempPluginsDir({ copy: ['booking', 'example'], plugins: { points: POINTS_PLUGIN } });
let t: TestApp;
let token: string;
let slug: string;
let tenantId: string;
let other: { slug: string; id: string };
const ids: Record<string, string> = {};

const api = (method: string, path: string, body?: unknown, tenant = slug) => t.api(method, path, { token, tenant, body });
async function matching(rule: unknown): Promise<string[]> {
  const res = await api('POST', '/api/v1/segments/preview', { rule });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.sample.length).toBe(Math.min(res.body.count, 10));
  return res.body.sample.map((c: { name: string }) => c.name).sort();
}
const cond = (field: string, op: string, value?: unknown) => ({ field, op, ...(value === undefined ? {} : { value }) });

async function business(name: string): Promise<{ slug: string; id: string }> {
  const s = `seg-${crypto.randomBytes(4).toString('hex')}`;
  const res = await t.api('POST', '/api/v1/tenants', { token, body: { slug: s, name, timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { slug: s, id: res.body.id };
}

beforeAll(async () => {
  const clock = new ShiftedClock();
  clock.set(NOW);
  t = await startTestApp({ pluginsDir: plugins.dir, clock });
  token = await t.login(t.owner.email, t.owner.password);
  ({ slug, id: tenantId } = await business('Segment salon'));
  other = await business('Other salon');
  const db = t.app.db.db;
  ids.anna = await addContact(db, tenantId, {
    name: 'Anna', locale: 'ru', tags: ['vip', 'hair'], consent: { marketing: { granted: true, at: '2026-01-01T00:00:00Z', source: 'bot' } },
    birthday: '1990-03-31', lastSeenAt: '2026-03-22T23:30:00Z', createdAt: '2025-01-10T10:00:00Z',
    identities: [{ kind: 'telegram', value: '1001' }, { kind: 'phone', value: '+491701234567', verified: true }],
  });
  ids.boris = await addContact(db, tenantId, {
    name: 'Boris', locale: 'en', tags: ['hair'], consent: { marketing: { granted: false } }, lastSeenAt: '2026-03-22T22:30:00Z', createdAt: '2026-03-01T12:00:00Z',
    identities: [{ kind: 'email', value: 'boris@example.test' }, { kind: 'telegram', value: '1002', unreachable: true }],
  });
  ids.vera = await addContact(db, tenantId, { name: 'Vera', birthday: '2000-02-29', createdAt: '2026-03-29T23:30:00Z' });
  ids.dmitry = await addContact(db, tenantId, { name: 'Dmitry 100%_off', locale: 'uk', tags: ['nails'], lastSeenAt: '2026-03-30T07:00:00Z' });
  // Never counted: deleted, merged into Anna, another business's.
  await addContact(db, tenantId, { name: 'Eve', tags: ['vip'], deleted: true });
  await addContact(db, tenantId, { name: 'Fedor', tags: ['vip'], mergedInto: ids.anna });
  await addContact(db, other.id, { name: 'Anna', locale: 'ru', tags: ['vip', 'hair'], lastSeenAt: '2026-03-29T10:00:00Z' });
  await sql`INSERT INTO points_balances (tenant_id, contact_id, balance, expires_at) VALUES
    (${tenantId}, ${ids.anna}, 120, '2026-04-02T10:00:00Z'), (${tenantId}, ${ids.boris}, 40, NULL), (${tenantId}, ${ids.dmitry}, 0, NULL)`.execute(db);
}, 120_000);
afterAll(async () => {
  await t?.close();
  plugins.remove();
});

const ALL4 = ['Anna', 'Boris', 'Dmitry 100%_off', 'Vera'];

describe('segment rules', () => {
  it('string operators on the name, a LIKE wildcard being a plain letter', async () => {
    expect(await matching(cond('name', 'eq', 'Anna'))).toEqual(['Anna']);
    expect(await matching(cond('name', 'neq', 'Anna'))).toEqual(['Boris', 'Dmitry 100%_off', 'Vera']);
    expect(await matching(cond('name', 'contains', 'OR'))).toEqual(['Boris']);
    expect(await matching(cond('name', 'contains', '%_'))).toEqual(['Dmitry 100%_off']);
    expect(await matching(cond('name', 'contains', '_'))).toEqual(['Dmitry 100%_off']);
    expect(await matching(cond('name', 'in', ['Anna', 'Vera']))).toEqual(['Anna', 'Vera']);
    expect(await matching(cond('name', 'notIn', ['Anna']))).toEqual(['Boris', 'Dmitry 100%_off', 'Vera']);
    expect(await matching(cond('name', 'exists', true))).toEqual(ALL4);
    expect(await matching(cond('name', 'exists', false))).toEqual([]);
  });

  it('enum operators on the language; a missing value is "not ru"', async () => {
    expect(await matching(cond('locale', 'eq', 'ru'))).toEqual(['Anna']);
    expect(await matching(cond('locale', 'neq', 'ru'))).toEqual(['Boris', 'Dmitry 100%_off', 'Vera']);
    expect(await matching(cond('locale', 'in', ['en', 'uk']))).toEqual(['Boris', 'Dmitry 100%_off']);
    expect(await matching(cond('locale', 'notIn', ['ru']))).toEqual(['Boris', 'Dmitry 100%_off', 'Vera']);
    expect(await matching(cond('locale', 'exists', false))).toEqual(['Vera']);
  });

  it('boolean: marketing consent counts only an explicit opt-in', async () => {
    expect(await matching(cond('consent.marketing', 'eq', true))).toEqual(['Anna']);
    expect(await matching(cond('consent.marketing', 'eq', false))).toEqual(['Boris', 'Dmitry 100%_off', 'Vera']);
  });

  it('string[] operators on tags, identities and reachable channels', async () => {
    expect(await matching(cond('tags', 'contains', 'hair'))).toEqual(['Anna', 'Boris']);
    expect(await matching(cond('tags', 'in', ['vip', 'nails']))).toEqual(['Anna', 'Dmitry 100%_off']);
    expect(await matching(cond('tags', 'all', ['vip', 'hair']))).toEqual(['Anna']);
    expect(await matching(cond('tags', 'notIn', ['hair']))).toEqual(['Dmitry 100%_off', 'Vera']);
    expect(await matching(cond('tags', 'exists', false))).toEqual(['Vera']);
    expect(await matching(cond('identities', 'contains', 'telegram'))).toEqual(['Anna', 'Boris']);
    expect(await matching(cond('identities', 'contains', 'email'))).toEqual(['Boris']);
    // Boris blocked the bot: his chat exists but cannot be reached.
    expect(await matching(cond('reachable', 'contains', 'telegram'))).toEqual(['Anna']);
    expect(await matching(cond('reachable', 'exists', false))).toEqual(['Dmitry 100%_off', 'Vera']);
  });

  it('dates are the business’s days, from the app’s clock, across the spring DST change', async () => {
    // 7 days back starts at 00:00 on 23 March in Berlin (CET) = 22 March 23:00 UTC: Anna (23:30 UTC) is in, Boris (22:30 UTC) is not.
    expect(await matching(cond('lastSeenAt', 'withinLastDays', 7))).toEqual(['Anna', 'Dmitry 100%_off']);
    expect(await matching(cond('lastSeenAt', 'olderThanDays', 7))).toEqual(['Boris']);
    expect(await matching(cond('lastSeenAt', 'withinLastDays', 0))).toEqual(['Dmitry 100%_off']);
    expect(await matching(cond('lastSeenAt', 'gt', '2026-03-22'))).toEqual(['Anna', 'Dmitry 100%_off']);
    expect(await matching(cond('lastSeenAt', 'lt', '2026-03-23'))).toEqual(['Boris']);
    expect(await matching(cond('lastSeenAt', 'between', ['2026-03-22', '2026-03-22']))).toEqual(['Boris']);
    expect(await matching(cond('lastSeenAt', 'exists', false))).toEqual(['Vera']);
    // 23:30 UTC on 29 March is already 30 March, today, in Berlin.
    expect(await matching(cond('createdAt', 'withinLastDays', 0))).toEqual(['Vera']);
    expect(await matching(cond('createdAt', 'between', ['2026-03-31', '2026-03-01']))).toEqual(['Boris', 'Vera']);
  });

  it('birthdays by their anniversary, 29 February on the 28th in other years', async () => {
    expect(await matching(cond('birthday', 'withinNextDays', 1))).toEqual(['Anna']);
    expect(await matching(cond('birthday', 'withinNextDays', 0))).toEqual([]);
    // 29 days back is 1 March; 30 days back is 28 February, which in 2026 stands for the 29th.
    expect(await matching(cond('birthday', 'withinLastDays', 29))).toEqual([]);
    expect(await matching(cond('birthday', 'withinLastDays', 30))).toEqual(['Vera']);
    expect(await matching(cond('birthday', 'lt', '1995-01-01'))).toEqual(['Anna']);
    expect(await matching(cond('birthday', 'exists', false))).toEqual(['Boris', 'Dmitry 100%_off']);
  });

  it('nested all / any / not groups', async () => {
    expect(await matching({ all: [] })).toEqual(ALL4);
    expect(await matching({ any: [] })).toEqual([]);
    expect(await matching({ not: { all: [] } })).toEqual([]);
    expect(await matching({ not: cond('locale', 'eq', 'ru') })).toEqual(['Boris', 'Dmitry 100%_off', 'Vera']);
    expect(await matching({ all: [{ any: [cond('tags', 'contains', 'vip'), cond('locale', 'eq', 'en')] }, { not: cond('consent.marketing', 'eq', true) }] })).toEqual(['Boris']);
    expect(await matching({ any: [{ all: [cond('tags', 'contains', 'hair'), { not: { any: [cond('name', 'eq', 'Anna')] } }] }, cond('birthday', 'exists', false)] })).toEqual(['Boris', 'Dmitry 100%_off']);
  });

  it('a value trying SQL injection is only a value', async () => {
    expect(await matching(cond('name', 'eq', "Anna'); DELETE FROM contacts; --"))).toEqual([]);
    expect(await matching(cond('tags', 'contains', "x' OR '1'='1"))).toEqual([]);
    expect(await matching(cond('name', 'in', ["' OR 1=1 --", 'Anna']))).toEqual(['Anna']);
    const asField = await api('POST', '/api/v1/segments/preview', { rule: cond("name = name OR 1=1 --", 'eq', 'x') });
    expect(asField.status).toBe(400);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM contacts WHERE tenant_id = ${tenantId}`.execute(t.app.db.db);
    expect(Number(rows[0].n)).toBe(6);
  });

  it('a bad rule is a 400 naming the path of what is wrong', async () => {
    const paths = async (rule: unknown) => {
      const res = await api('POST', '/api/v1/segments/preview', { rule });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.details.errors.map((e: { path: string }) => e.path);
    };
    expect(await paths({ all: [cond('nope', 'eq', 1)] })).toEqual(['/body/rule/all/0/field']);
    expect(await paths({ all: [cond('name', 'eq', 'x'), cond('tags', 'gt', 1)] })).toEqual(['/body/rule/all/1/op']);
    expect(await paths({ any: [cond('locale', 'eq', 'fr')] })).toEqual(['/body/rule/any/0/value']);
    expect(await paths({ not: cond('lastSeenAt', 'between', ['2026-01-01']) })).toEqual(['/body/rule/not/value']);
    expect(await paths({ not: cond('lastSeenAt', 'gt', '2026-02-30') })).toEqual(['/body/rule/not/value']);
    expect(await paths(cond('name', 'eq'))).toEqual(['/body/rule/value']);
    expect(await paths({ all: [], any: [] })).toContain('/body/rule/any');
    expect(await paths({ all: [{ all: [{ field: 'name', op: 'eq', value: 'x', extra: 1 }] }] })).toEqual(['/body/rule/all/0/all/0/extra']);
    expect(await paths({ any: Array.from({ length: 40 }, () => ({ all: Array.from({ length: 6 }, () => cond('name', 'eq', 'x')) })) })).toEqual(['/body/rule']);
    const res = await api('POST', '/api/v1/segments/preview', { rule: 'everyone' });
    expect(res.status).toBe(400);
    expect(res.body.details.errors[0].path).toBe('/body/rule');
  });
});

describe('fields plugins contribute', () => {
  it('only while the plugin is enabled for the business, with numbers and dates of its own', async () => {
    const before = await api('POST', '/api/v1/segments/preview', { rule: cond('points.balance', 'gt', 1) });
    expect(before.status).toBe(400);
    expect(before.body.details.errors[0].path).toBe('/body/rule/field');
    expect((await api('PUT', '/api/v1/plugins/points/enabled', { enabled: true })).status).toBe(200);
    t.app.host.forget(tenantId);
    expect(await matching(cond('points.balance', 'eq', 40))).toEqual(['Boris']);
    expect(await matching(cond('points.balance', 'neq', 40))).toEqual(['Anna', 'Dmitry 100%_off', 'Vera']);
    expect(await matching(cond('points.balance', 'gt', 40))).toEqual(['Anna']);
    expect(await matching(cond('points.balance', 'gte', 40))).toEqual(['Anna', 'Boris']);
    expect(await matching(cond('points.balance', 'lt', 40))).toEqual(['Dmitry 100%_off']);
    expect(await matching(cond('points.balance', 'lte', 40))).toEqual(['Boris', 'Dmitry 100%_off']);
    expect(await matching(cond('points.balance', 'between', [100, 0]))).toEqual(['Boris', 'Dmitry 100%_off']);
    expect(await matching(cond('points.balance', 'gt', 39.5))).toEqual(['Anna', 'Boris']);
    expect(await matching(cond('points.balance', 'exists', false))).toEqual(['Vera']);
    // Expiring at 12:00 on 2 April (Berlin): within today + 3 days, not within today + 2.
    expect(await matching(cond('points.expiresAt', 'withinNextDays', 3))).toEqual(['Anna']);
    expect(await matching(cond('points.expiresAt', 'withinNextDays', 2))).toEqual([]);
    // The other business has the plugin off: its catalog has no such field.
    const elsewhere = await api('POST', '/api/v1/segments/preview', { rule: cond('points.balance', 'gt', 1) }, other.slug);
    expect(elsewhere.status).toBe(400);
  });

  it('the catalog for the editor is in the request’s language, options loaded, with the rules’ schema', async () => {
    const res = await t.api('GET', '/api/v1/segments/fields', { token, tenant: slug, headers: { 'accept-language': 'uk' } });
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(res.body.items.map((f: { key: string }) => [f.key, f]));
    expect(byKey.tags).toMatchObject({ label: 'Мітки', type: 'string[]', source: 'core', options: [{ value: 'hair' }, { value: 'nails' }, { value: 'vip' }] });
    expect(byKey['points.balance']).toMatchObject({ label: 'Бали', type: 'number', source: 'points', ops: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'] });
    expect(byKey['booking.visits']).toMatchObject({ source: 'booking', type: 'number' });
    expect(byKey['points.tier']).toMatchObject({ label: 'Рівень', type: 'string' });
    expect(byKey['points.tier'].options).toBeUndefined();
    expect(byKey.birthday.ops).not.toContain('olderThanDays');
    expect(res.body.schema.$defs.condition.properties.field.enum).toContain('points.balance');
    const otherFields = await t.api('GET', '/api/v1/segments/fields', { token, tenant: other.slug });
    expect(otherFields.body.items.map((f: { key: string }) => f.key)).not.toContain('points.balance');
  });

  it('a plugin contributing a field under another plugin’s name refuses the start', async () => {
    const bad = tempPluginsDir({ plugins: { sneaky: { files: { 'server.ts': "import { sql } from 'kysely';\nexport default { segmentFields: [{ key: 'booking.visits', type: 'number', label: { en: 'x' }, sql: () => sql`1` }] };" } } } });
    try {
      await expect(startTestApp({ pluginsDir: bad.dir, seedDemo: false, start: false })).rejects.toMatchObject({ code: 'BF_ERR_SEGMENT_FIELD_INVALID' });
    } finally {
      bad.remove();
    }
  });
});

describe('saved segments over HTTP', () => {
  let segmentId: string;

  it('creates, lists with the built-in `all` first, pages its contacts and audits each change', async () => {
    const created = await api('POST', '/api/v1/segments', { name: 'Hair clients', description: 'came for hair', rule: cond('tags', 'contains', 'hair') });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    segmentId = created.body.id;
    expect((await api('POST', '/api/v1/segments', { name: 'hair CLIENTS', rule: { all: [] } })).body.code).toBe('BF_ERR_SEGMENT_NAME_TAKEN');
    const list = await api('GET', '/api/v1/segments');
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual(['all', segmentId]);
    expect(list.body.items[0]).toMatchObject({ builtIn: true, rule: { all: [] } });
    const contacts = await api('GET', `/api/v1/segments/${segmentId}/contacts`);
    expect(contacts.body.total).toBe(2);
    expect(contacts.body.items[0]).toEqual({ id: ids.anna, name: 'Anna', identities: [{ kind: 'phone', value: '+491701234567', verified: true }, { kind: 'telegram', value: '1001', verified: false }] });
    const all = await api('GET', '/api/v1/segments/all/contacts?limit=2&offset=2');
    expect(all.body).toMatchObject({ total: 4, items: [{ name: 'Dmitry 100%_off' }, { name: 'Vera' }] });
    const patched = await api('PATCH', `/api/v1/segments/${segmentId}`, { name: 'Hair, not VIP', rule: { all: [cond('tags', 'contains', 'hair'), { not: cond('tags', 'contains', 'vip') }] } });
    expect(patched.status).toBe(200);
    expect((await api('GET', `/api/v1/segments/${segmentId}/contacts`)).body.items.map((c: { name: string }) => c.name)).toEqual(['Boris']);
    const badPatch = await api('PATCH', `/api/v1/segments/${segmentId}`, { rule: cond('tags', 'between', [1, 2]) });
    expect(badPatch.body.details.errors[0].path).toBe('/body/rule/op');
    const audit = await t.app.db.db.selectFrom('audit_log').select(['action', 'actor_id']).where('tenant_id', '=', tenantId).where('entity', '=', 'segment').orderBy('id').execute();
    expect(audit).toEqual([{ action: 'create', actor_id: t.owner.userId }, { action: 'update', actor_id: t.owner.userId }]);
  });

  it('the built-in segment cannot be changed or deleted', async () => {
    expect((await api('PATCH', '/api/v1/segments/all', { name: 'Mine' })).body.code).toBe('BF_ERR_SEGMENT_BUILT_IN');
    expect((await api('DELETE', '/api/v1/segments/all')).status).toBe(409);
    expect((await api('GET', '/api/v1/segments/all')).body).toMatchObject({ id: 'all', builtIn: true, name: 'All contacts' });
  });

  it('deletes into the trash and restores from it', async () => {
    expect((await api('DELETE', `/api/v1/segments/${segmentId}`)).status).toBe(204);
    expect((await api('GET', `/api/v1/segments/${segmentId}`)).body.code).toBe('BF_ERR_SEGMENT_NOT_FOUND');
    const trash = await api('GET', '/api/v1/trash');
    expect(trash.body.items).toContainEqual(expect.objectContaining({ entity: 'segment', id: segmentId, label: 'Hair, not VIP' }));
    expect((await api('POST', `/api/v1/trash/segment/${segmentId}/restore`)).status).toBe(200);
    expect((await api('GET', `/api/v1/segments/${segmentId}`)).body.name).toBe('Hair, not VIP');
  });

  it('a segment whose plugin is switched off answers which field is missing', async () => {
    const s = await api('POST', '/api/v1/segments', { name: 'Rich', rule: { any: [cond('points.balance', 'gt', 100)] } });
    expect(s.status).toBe(201);
    expect((await api('GET', `/api/v1/segments/${s.body.id}/contacts`)).body.total).toBe(1);
    expect((await api('PUT', '/api/v1/plugins/points/enabled', { enabled: false })).status).toBe(200);
    t.app.host.forget(tenantId);
    const off = await api('GET', `/api/v1/segments/${s.body.id}/contacts`);
    expect(off).toMatchObject({ status: 409, body: { code: 'BF_ERR_SEGMENT_FIELD_UNAVAILABLE', details: { field: 'points.balance', path: '/any/0/field' } } });
    expect((await api('PUT', '/api/v1/plugins/points/enabled', { enabled: true })).status).toBe(200);
    t.app.host.forget(tenantId);
  });

  it('never shows or counts another business’s contacts or segments', async () => {
    const theirs = await api('POST', '/api/v1/segments', { name: 'Their VIPs', rule: cond('tags', 'contains', 'vip') }, other.slug);
    expect(theirs.status).toBe(201);
    expect((await api('GET', `/api/v1/segments/${theirs.body.id}`)).status).toBe(404);
    expect((await api('GET', `/api/v1/segments/${theirs.body.id}/contacts`)).status).toBe(404);
    expect((await api('PATCH', `/api/v1/segments/${theirs.body.id}`, { name: 'x' })).status).toBe(404);
    expect((await api('DELETE', `/api/v1/segments/${theirs.body.id}`)).status).toBe(404);
    expect((await api('GET', `/api/v1/segments/${theirs.body.id}/contacts`, undefined, other.slug)).body.items.map((c: { name: string }) => c.name)).toEqual(['Anna']);
    // Same rule, each business its own contacts: theirs has one VIP Anna, ours Anna only too — but not theirs.
    const ours = await api('GET', '/api/v1/segments/all/contacts');
    expect(ours.body.items.map((c: { id: string }) => c.id).sort()).toEqual([ids.anna, ids.boris, ids.dmitry, ids.vera].sort());
    const ctx = t.app.host.get('points').ctx;
    await expect(ctx.segments.count(t.app.db.db, tenantId, theirs.body.id)).rejects.toMatchObject({ code: 'BF_ERR_SEGMENT_NOT_FOUND' });
    expect(await ctx.segments.count(t.app.db.db, other.id, 'all')).toBe(1);
  });

  it('only owners, admins and managers reach segments', async () => {
    const specialist = await t.addMember(token, `spec-${crypto.randomBytes(3).toString('hex')}@seg.test`, 'specialist', { tenant: slug });
    expect((await t.api('GET', '/api/v1/segments', { token: specialist.token, tenant: slug })).status).toBe(403);
    expect((await t.api('POST', '/api/v1/segments/preview', { token: specialist.token, tenant: slug, body: { rule: { all: [] } } })).status).toBe(403);
    const manager = await t.addMember(token, `mgr-${crypto.randomBytes(3).toString('hex')}@seg.test`, 'manager', { tenant: slug });
    expect((await t.api('POST', '/api/v1/segments/preview', { token: manager.token, tenant: slug, body: { rule: { all: [] } } })).body.count).toBe(4);
  });
});

describe('ctx.segments for plugins', () => {
  it('streams a segment’s contact ids in pages, by a saved id or a rule', async () => {
    const ctx = t.app.host.get('points').ctx;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await ctx.segments.contactIds(ctx.db, tenantId, 'all', { limit: 3, after });
      seen.push(...page.ids);
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(2);
    expect(seen).toEqual([ids.anna, ids.boris, ids.dmitry, ids.vera].sort());
    const byRule = await ctx.transaction((trx) => ctx.segments.contactIds(trx, tenantId, cond('tags', 'contains', 'hair') as never));
    expect(byRule).toEqual({ ids: [ids.anna, ids.boris].sort(), next: null });
    await expect(ctx.segments.count(ctx.db, tenantId, cond('tags', 'gt', 1) as never)).rejects.toMatchObject({ code: 'BF_ERR_SEGMENT_RULE_INVALID' });
  });
});
