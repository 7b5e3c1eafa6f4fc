/**
 * Business A must never read or change business B's data, over any route. The
 * walker takes every route the app registered (core's and every plugin's, so
 * routes added later are covered too), fills path params with B's real ids where
 * the name points at one of B's entities, builds a body from the route's schema,
 * and calls it as A. B is filled beforehand through its own API with the same
 * walker, so every plugin's tables hold B rows. B's rows of every table with a
 * tenant_id are fingerprinted before and after each call.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../app.js';
import { ensureOwner } from '../seed/bootstrap.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { sampleValue } from '../../test/helpers/schema-sample.js';
import { entityIdFor, fillPath, rowsOf as tenantRows, tenantTables as tablesWithTenantId, walkedRoutes } from '../../test/helpers/routes.js';
import { until } from '../../test/helpers/wait.js';

const SECRET = 'BSECRET';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

interface Business { id: string; slug: string; token: string; email: string; password: string }
let t: TestApp;
let A: Business;
let B: Business;
let tenantTables: string[];
/** B's rows, table → rows, to pick ids from */
let bRows: Map<string, Array<Record<string, unknown>>>;
/** ids that only B's rows hold: seeing one in an answer to A is a leak */
let bOnlyIds: Set<string>;

async function business(name: string, slug: string): Promise<Business> {
  const email = `${slug}@isolation.test`;
  const password = `${slug}-password`;
  await ensureOwner(t.app.db.db, email, password);
  const token = await t.login(email, password);
  const created = await t.api('POST', '/api/v1/tenants', { token, body: { slug, name, timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' } });
  expect(created.status).toBe(201);
  const b = { id: created.body.id, slug, token, email, password };
  // Every plugin on, in dependency order, and each plugin's demo data, so every plugin's tables have rows.
  for (const p of t.app.host.plugins) {
    const res = await t.api('PUT', `/api/v1/plugins/${p.manifest.id}/enabled`, { token, tenant: slug, body: { enabled: true } });
    expect(res.status, `enable ${p.manifest.id}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  for (const p of t.app.host.plugins.filter((x) => x.server.seedDemo)) {
    await t.app.db.db.transaction().execute((trx) => p.server.seedDemo!(p.ctx, trx, b.id))
      .catch((e) => console.warn(`tenant isolation: ${p.manifest.id}.seedDemo failed for a second business, its tables get less data: ${e.message}`));
  }
  const notes = [];
  for (const text of [`${name} note one`, `${name} note two`]) {
    const res = await t.api('POST', '/api/v1/example/notes', { token, tenant: slug, body: { text } });
    expect(res.status).toBe(201);
    notes.push(res.body.id);
  }
  expect((await t.api('DELETE', `/api/v1/example/notes/${notes[1]}`, { token, tenant: slug })).status).toBe(204);
  await t.addMember(token, `staff-${slug}@isolation.test`, 'specialist', { tenant: slug, name: `${name} staff` });
  expect((await t.api('PUT', '/api/v1/plugins/example/config', { token, tenant: slug, body: { config: { greeting: `${name} greeting` } } })).status).toBe(200);
  return b;
}

const rowsOf = (tenantId: string) => tenantRows(t.app.db.db, tenantTables, tenantId);

/** One hash per table of B's rows, plus B's tenant row and B's members' user rows. */
async function fingerprint(): Promise<Record<string, string>> {
  // Delivery bookkeeping of B's own events may move; the events themselves, and which deliveries are dead, may not.
  const row = (table: string) => (table === 'outbox' ? sql`(x.id, x.type, x.payload)::text`
    : table === 'event_deliveries' ? sql`(x.id, x.event_id, x.handler, x.status = 'dead')::text` : sql`x::text`);
  const parts = tenantTables.map((table) => sql`SELECT ${table} AS t, md5(coalesce(string_agg(${row(table)}, '|' ORDER BY ${row(table)}), '')) AS h FROM ${sql.table(table)} x WHERE x.tenant_id = ${B.id}`);
  parts.push(sql`SELECT 'tenants', md5(x::text) FROM tenants x WHERE x.id = ${B.id}`);
  parts.push(sql`SELECT 'users', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM users x WHERE x.id IN (SELECT user_id FROM memberships WHERE tenant_id = ${B.id})`);
  const { rows } = await sql<{ t: string; h: string }>`${sql.join(parts, sql` UNION ALL `)}`.execute(t.app.db.db);
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

/** A real id of B's for a param or property name, when the name points at one of B's entities. */
const bIdFor = (name: string, segmentBefore?: string) => entityIdFor(bRows, name, segmentBefore);

/** A value for the schema, with B's ids where the name points at one of B's entities. */
const sample = (schema: unknown, name = '') => sampleValue(schema, name, (n) => bIdFor(n));

interface Call { method: string; url: string; headers: Record<string, string>; body?: unknown; usedBIds: boolean }

function callFor(route: RouteInfo, asTenant: 'A' | 'B'): Call {
  let usedBIds = false;
  const url = fillPath(route.url, (name, segmentBefore) => {
    if (name === 'tenant') return route.roles === 'public' ? A.slug : B.slug;
    const paramSchema = (route.schema?.params as any)?.properties?.[name];
    const bId = bIdFor(name, segmentBefore);
    if (bId) usedBIds = true;
    return encodeURIComponent(String(bId ?? (paramSchema && paramSchema.format !== 'uuid' && !paramSchema.pattern ? sample(paramSchema, name) : crypto.randomUUID())));
  });
  const headers: Record<string, string> = {};
  if (route.roles !== 'public') headers.authorization = `Bearer ${A.token}`;
  if (Array.isArray(route.roles)) headers['x-tenant'] = asTenant === 'B' ? B.slug : A.slug;
  const query = route.schema?.querystring ? new URLSearchParams(Object.entries(sample(route.schema.querystring) as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString() : '';
  const body = route.schema?.body ? sample(route.schema.body) : ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
  return { method: route.method, url: url + (query ? `?${query}` : ''), headers, body, usedBIds };
}

async function send(call: Call): Promise<{ status: number; text: string }> {
  const headers = { ...call.headers, ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}) };
  const res = await fetch(t.url + call.url, { method: call.method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body) });
  return { status: res.status, text: await res.text() };
}

/** What of B's an answer shows that the request did not carry itself. */
function leaks(call: Call, text: string): string[] {
  const sent = JSON.stringify([call.url, call.headers, call.body]);
  const found = [...new Set(text.match(UUID) ?? [])].filter((id) => bOnlyIds.has(id.toLowerCase()) && !sent.includes(id));
  if (text.includes(SECRET) && !sent.includes(SECRET)) found.push(`text marked ${SECRET}`);
  return found;
}

/**
 * Fills B through its own API: every POST and PUT of a business route, twice, so later
 * entities can point at earlier ones (a service at its department). Whatever fails, fails.
 */
async function populateThroughApi(): Promise<number> {
  let created = 0;
  for (let round = 0; round < 2; round++) {
    for (const route of walked().filter((r) => Array.isArray(r.roles) && (r.method === 'POST' || r.method === 'PUT') && !r.url.includes('/trash/'))) {
      bRows = await rowsOf(B.id);
      const call = callFor(route, 'A');
      const res = await send({ ...call, url: call.url.replaceAll(A.slug, B.slug), headers: { authorization: `Bearer ${B.token}`, 'x-tenant': B.slug } });
      if (res.status < 300) created++;
    }
  }
  return created;
}

beforeAll(async () => {
  // A and B are accounts of their own that open a business each: signup is open for them.
  t = await startTestApp({ config: { allowSignup: 'all' } });
  tenantTables = await tablesWithTenantId(t.app.db.db);
  const suffix = crypto.randomBytes(3).toString('hex');
  A = await business('Alpha', `alpha-${suffix}`);
  B = await business(`Bravo ${SECRET}`, `bravo-${suffix}`);
  expect(await populateThroughApi()).toBeGreaterThan(0);
  await until('every event to be delivered', async () =>
    !(await t.app.db.db.selectFrom('outbox').select('id').where('fanned_out_at', 'is', null).executeTakeFirst())
    && !(await t.app.db.db.selectFrom('event_deliveries').select('id').where('status', '=', 'pending').where('attempts', '=', 0).executeTakeFirst()));
  // B's deliveries are dead-lettered, so the walker's retry (POST /events/dead/:deliveryId/retry) aims at real ones.
  await t.app.db.db.updateTable('event_deliveries').set({ status: 'dead', finished_at: new Date() }).where('tenant_id', '=', B.id).execute();
  bRows = await rowsOf(B.id);
  const others = JSON.stringify([...(await rowsOf(A.id)).values(), ...(await rowsOf(t.demoTenantId)).values()]).toLowerCase();
  bOnlyIds = new Set([...JSON.stringify([...bRows.values()]).matchAll(UUID)].map((m) => m[0].toLowerCase()).filter((id) => !others.includes(id) && id !== B.id));
}, 120_000);
afterAll(async () => { await t?.close(); });

const walked = () => walkedRoutes(t.app.routes);

describe('tenant isolation over every route', () => {
  it('has B data in every plugin table it can reach, and ids the walker can use', () => {
    expect(bRows.get('example_notes')!.length).toBeGreaterThanOrEqual(2);
    expect(bIdFor('id', 'notes')).toBe((bRows.get('example_notes')!.find((r) => !r.deleted_at) as any).id);
    expect(bIdFor('userId')).toBeDefined();
    expect(walked().length).toBeGreaterThan(15);
  });

  it('with A’s token and X-Tenant: B, every business route answers 403 or 404 and changes nothing of B', async () => {
    const problems: string[] = [];
    const before = await fingerprint();
    for (const route of walked().filter((r) => Array.isArray(r.roles))) {
      const call = callFor(route, 'B');
      const res = await send(call);
      const where = `${call.method} ${call.url}`;
      if (res.status !== 403 && res.status !== 404) problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
      for (const leak of leaks(call, res.text)) problems.push(`${where}: shows B's ${leak}`);
      const after = await fingerprint();
      for (const table of Object.keys(before)) if (before[table] !== after[table]) problems.push(`${where}: changed B's ${table}`);
      Object.assign(before, after);
    }
    expect(problems).toEqual([]);
  });

  it('in A’s own business, B’s ids in params and bodies reach nothing of B', async () => {
    const problems: string[] = [];
    const before = await fingerprint();
    let aimedAtB = 0;
    for (const route of walked()) {
      const call = callFor(route, 'A');
      const res = await send(call);
      const where = `${call.method} ${call.url} (${JSON.stringify(call.body ?? null).slice(0, 120)})`;
      // A route aimed at one of B's entities must not find it.
      if (call.usedBIds) {
        aimedAtB++;
        if (res.status < 400) problems.push(`${where}: ${res.status} for B's entity: ${res.text.slice(0, 200)}`);
      }
      for (const leak of leaks(call, res.text)) problems.push(`${where}: shows B's ${leak}`);
      const after = await fingerprint();
      for (const table of Object.keys(before)) if (before[table] !== after[table]) problems.push(`${where}: changed B's ${table}`);
      Object.assign(before, after);
      // A route may end A's own session (logout); sign in again so the walk goes on signed in.
      if ((await t.api('GET', '/api/v1/auth/me', { token: A.token })).status !== 200) A.token = await t.login(A.email, A.password);
    }
    expect(aimedAtB).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('A cannot restore B’s deleted items from the trash', async () => {
    const before = await fingerprint();
    for (const d of t.app.host.plugins.flatMap((p) => p.server.softDelete ?? []).concat([{ entity: 'member', table: 'memberships', label: 'role', idColumn: 'user_id' }])) {
      for (const row of bRows.get(d.table) ?? []) {
        const id = String(row[d.idColumn ?? 'id']);
        const res = await t.api('POST', `/api/v1/trash/${d.entity}/${id}/restore`, { token: A.token, tenant: A.slug });
        expect(res.status, `${d.entity} ${id}`).toBe(404);
      }
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('B still sees all of its own data', async () => {
    const notes = await t.api('GET', '/api/v1/example/notes', { token: B.token, tenant: B.slug });
    expect(notes.body.items.map((n: any) => n.text)).toContain(`Bravo ${SECRET} note one`);
    expect((await t.api('GET', '/api/v1/example/notes', { token: A.token, tenant: A.slug })).body.items.map((n: any) => n.text)).not.toContain(`Bravo ${SECRET} note one`);
  });
});
