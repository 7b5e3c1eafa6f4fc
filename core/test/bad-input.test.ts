/**
 * The findings of section 4 of security issue 8, one test each: bad input gets a coded 4xx that
 * names the field, never a 500. The route walker (bad-input-walker.test.ts) covers every route;
 * these pin the exact inputs that were found answering 500.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseError } from '../db/constraints.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { BotApiStandIn } from '../../test/helpers/bot-api-standin.js';
import { until } from '../../test/helpers/wait.js';

let standin: BotApiStandIn;
let t: TestApp;
let owner: string;
const slug = `bad-${crypto.randomBytes(3).toString('hex')}`;
let tenantId: string;
let departmentId: string;
let serviceId: string;
let flowId: string;
const call = (method: string, path: string, body?: unknown) => t.api(method, path, { token: owner, tenant: slug, body });
/** Sends a raw body (not JSON.stringify'd by the helper) as JSON. */
const raw = async (method: string, path: string, body: string, headers: Record<string, string> = {}) => {
  const res = await fetch(t.url + path, { method, headers: { authorization: `Bearer ${owner}`, 'x-tenant': slug, 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let parsed: any = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: parsed };
};
const paths = (body: any): string[] => [body?.details?.field, ...(body?.details?.errors ?? []).map((e: any) => e.path)].filter(Boolean);

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test' } });
  standin.webhookTarget = t.url;
  owner = await t.login(t.owner.email, t.owner.password);
  const created = await t.api('POST', '/api/v1/tenants', { token: owner, body: { slug, name: 'Bad input spa', timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' } });
  expect(created.status).toBe(201);
  tenantId = created.body.id;
  departmentId = (await call('POST', '/api/v1/booking/departments', { name: 'Hall' })).body.id;
  serviceId = (await call('POST', '/api/v1/booking/services', { departmentId, name: 'Massage', durationMin: 60 })).body.id;
  flowId = (await call('POST', '/api/v1/flows', { key: 'main', name: 'Main' })).body.id;
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('NUL bytes and lone surrogates', () => {
  it('a NUL in a public path param is a 400 naming the param, not a 500 from the tenant lookup', async () => {
    const res = await t.api('GET', '/api/v1/public/%00/services');
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('BF_ERR_VALIDATION_FAILED');
    expect(paths(res.body)).toContain('/params/tenant');
  });

  it('a NUL in a body string is a 400 naming the field', async () => {
    const res = await call('POST', '/api/v1/booking/departments', { name: 'a\u0000b' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('BF_ERR_VALIDATION_FAILED');
    expect(paths(res.body)).toContain('/body/name');
  });

  it('a NUL in a query string is a 400 naming the field', async () => {
    const res = await call('GET', '/api/v1/contacts?q=%00');
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(paths(res.body)).toContain('/querystring/q');
  });

  it('a lone surrogate in a body string is a 400 naming the field (the audit write choked on it)', async () => {
    const res = await raw('POST', '/api/v1/booking/departments', '{"name":"x\\ud800y"}');
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(paths(res.body)).toContain('/body/name');
    // A well-formed pair is fine.
    expect((await raw('POST', '/api/v1/booking/departments', '{"name":"x\\ud83d\\ude00y"}')).status).toBe(201);
  });

  it('a NUL or lone surrogate deep inside free-form JSON (a flow draft) is a 400 naming its path', async () => {
    const res = await raw('PUT', `/api/v1/flows/${flowId}/draft`, '{"graph":{"schemaVersion":1,"nodes":[{"id":"a","settings":{"text":{"en":"\\u0000"}}}],"edges":[],"variables":[]}}');
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(paths(res.body)).toContain('/body/graph/nodes/0/settings/text/en');
  });

  it('a Telegram update with a NUL or a lone surrogate gets 200, so Telegram does not redeliver it forever, and the turn runs', async () => {
    const token = `800901:${'n'.repeat(30)}`;
    const flow = await call('POST', '/api/v1/flows', {
      key: 'echo', name: 'Echo',
      graph: {
        schemaVersion: 1, variables: [],
        nodes: [
          { id: 'any', type: 'trigger.keyword', position: { x: 0, y: 0 }, settings: { keywords: ['hello'] } },
          { id: 'say', type: 'message', position: { x: 0, y: 0 }, settings: { text: { en: 'got it' } } },
          { id: 'fin', type: 'end', position: { x: 0, y: 0 }, settings: {} },
        ],
        edges: [{ id: 'e1', source: 'any', sourcePort: 'next', target: 'say' }, { id: 'e2', source: 'say', sourcePort: 'next', target: 'fin' }],
      },
    });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    expect((await call('POST', `/api/v1/flows/${flow.body.id}/publish`)).status).toBe(200);
    const bot = await call('POST', '/api/v1/bots', { name: 'Echo bot', token, flowKey: 'echo' });
    expect(bot.status, JSON.stringify(bot.body)).toBe(201);
    const secret = standin.calls.filter((c) => c.token === token && c.method === 'setWebhook').at(-1)!.payload.secret_token as string;
    const update = (id: number, text: string) => `{"update_id":${id},"message":{"message_id":${id},"date":1,"chat":{"id":4242,"type":"private","first_name":"N"},"from":{"id":4242,"is_bot":false,"first_name":"N\\u0000"},"text":"${text}"}}`;
    for (const [id, text] of [[1, 'hello \\u0000 there'], [2, 'hello \\udc00 there']] as const) {
      const res = await fetch(`${t.url}/telegram/${bot.body.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: update(id, text) });
      expect(res.status, await res.text()).toBe(200);
    }
    // Long polling hands updates to the same handler, without the HTTP body guard in front.
    await t.app.flows.telegram.handleUpdate(bot.body.id, JSON.parse(update(3, 'hello \\u0000 polled')));
    await until('all three turns to answer', () => standin.sent(4242).filter((m) => m.text === 'got it').length === 3);
    const session = await t.app.db.db.selectFrom('flow_sessions').select('client').where('chat_id', '=', '4242').executeTakeFirstOrThrow();
    expect(session.client.name).toBe('N\ufffd');
  });
});

describe('dates PostgreSQL or Luxon cannot represent', () => {
  it('a leap second passes no date-time format', async () => {
    const res = await t.api('GET', `/api/v1/public/${slug}/slots?serviceId=${serviceId}&from=2026-12-31T23:59:60Z&to=2027-01-02T00:00:00Z`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(paths(res.body)).toContain('/querystring/from');
  });

  it('year 0000 passes no date format', async () => {
    const res = await t.api('POST', `/api/v1/public/${slug}/waitlist`, { body: { serviceId, day: '0000-01-01', client: { name: 'Zero', phone: '+491701234567' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(paths(res.body)).toContain('/body/day');
  });

  it('a day that does not exist is a 400', async () => {
    const res = await t.api('POST', `/api/v1/public/${slug}/waitlist`, { body: { serviceId, day: '2026-02-30', client: { name: 'Feb', phone: '+491701234568' } } });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toContain('/body/day');
  });
});

describe('numbers out of range', () => {
  it('"sort": "Infinity" and a sort of 1e400 are 400s naming the field', async () => {
    for (const body of ['{"name":"Inf","sort":"Infinity"}', '{"name":"Inf","sort":1e400}', '{"name":"Inf","sort":"-Infinity"}', '{"name":"Inf","sort":"NaN"}']) {
      const res = await raw('POST', '/api/v1/booking/departments', body);
      expect(res.status, `${body}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(paths(res.body)).toContain('/body/sort');
    }
  });

  it('limit=Infinity is a 400 naming the field', async () => {
    for (const path of ['/api/v1/contacts?limit=Infinity', '/api/v1/audit?limit=Infinity', '/api/v1/bookings?limit=-Infinity&offset=Infinity']) {
      const res = await call('GET', path);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(paths(res.body).some((p) => /^\/querystring\/(limit|offset)$/.test(p))).toBe(true);
    }
  });

  it('version: 2147483648 (past int4) is a 400 naming the field', async () => {
    const res = await call('POST', `/api/v1/flows/${flowId}/rollback`, { version: 2147483648 });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(paths(res.body)).toContain('/body/version');
    const param = await call('GET', `/api/v1/flows/${flowId}/versions/99999999999`);
    expect(param.status, JSON.stringify(param.body)).toBe(400);
    expect(paths(param.body)).toContain('/params/version');
  });
});

describe('references and unique values', () => {
  it('a userId that does not exist is a coded 4xx naming the field, not a foreign-key 500', async () => {
    const res = await call('POST', '/api/v1/booking/resources', { departmentId, kind: 'staff', name: 'Ghost', userId: crypto.randomUUID() });
    expect([400, 404], JSON.stringify(res.body)).toContain(res.status);
    expect(res.body.details.field).toBe('/body/userId');
  });

  it('the one error mapper turns PostgreSQL refusals into coded 4xx naming the field, whichever route runs into them', async () => {
    const refusal = (query: Promise<unknown>) => query.then(() => { throw new Error('expected PostgreSQL to refuse'); }, (e: unknown) => e);
    const db = t.app.db.db;
    const missingUser = await refusal(db.insertInto('booking_resources').values({ tenant_id: tenantId, department_id: departmentId, kind: 'staff', name: 'Ghost', user_id: crypto.randomUUID() }).execute());
    expect(databaseError(missingUser, { body: { name: 'Ghost', userId: 'x' } })).toMatchObject({ code: 'BF_ERR_DB_REFERENCE_NOT_FOUND', statusCode: 404, details: { field: '/body/userId' } });
    const inUse = await refusal(db.deleteFrom('booking_departments').where('tenant_id', '=', tenantId).where('id', '=', departmentId).execute());
    expect(databaseError(inUse, {})).toMatchObject({ code: 'BF_ERR_DB_REFERENCE_IN_USE', statusCode: 409 });
    const unmapped = await refusal(db.insertInto('memberships').values({ tenant_id: tenantId, user_id: t.owner.userId, role: 'owner' }).execute());
    expect(databaseError(unmapped, { body: { userId: t.owner.userId } })).toMatchObject({ code: 'BF_ERR_DB_UNIQUE_VIOLATION', statusCode: 409, details: { constraint: 'memberships_pkey', field: '/body/userId' } });
    const outOfRange = await refusal(db.updateTable('booking_departments').set({ sort: 2147483648 }).where('tenant_id', '=', tenantId).execute());
    expect(databaseError(outOfRange, { body: { sort: 2147483648 } })).toMatchObject({ code: 'BF_ERR_DB_VALUE_INVALID', statusCode: 400 });
    expect(databaseError(new Error('not a database error'), {})).toBeUndefined();
  });

  it('a duplicate contact phone (in any format) or email on POST /contacts is a coded 409 naming the field', async () => {
    expect((await call('POST', '/api/v1/contacts', { name: 'First', phone: '+491709990001', email: 'first@bad-input.test' })).status).toBe(201);
    const cases: Array<[string, string, unknown, string, string]> = [
      ['POST', '/api/v1/contacts', { name: 'Dup phone', phone: '+49 170 9990001' }, 'BF_ERR_CONTACT_PHONE_TAKEN', '/body/phone'],
      ['POST', '/api/v1/contacts', { name: 'Dup email', email: ' First@Bad-Input.test' }, 'BF_ERR_CONTACT_EMAIL_TAKEN', '/body/email'],
    ];
    for (const [method, path, body, code, field] of cases) {
      const res = await call(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(409);
      expect(res.body.code).toBe(code);
      expect(res.body.details.field).toBe(field);
    }
  });

  it('20 parallel POST /tenants with one slug: one 201, the rest coded 409s', async () => {
    const dup = `race-${crypto.randomBytes(3).toString('hex')}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => t.api('POST', '/api/v1/tenants', { token: owner, body: { slug: dup, name: 'Race', timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' } })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const rest = results.filter((r) => r.status !== 201);
    expect(rest.map((r) => r.status)).toEqual(Array(19).fill(409));
    for (const r of rest) expect(r.body).toMatchObject({ code: 'BF_ERR_TENANT_SLUG_TAKEN', details: { slug: dup } });
  });

  it('10 parallel POST /bots with one token: one bot, the rest coded 409s', async () => {
    const token = `800902:${'p'.repeat(30)}`;
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => call('POST', '/api/v1/bots', { name: `Bot ${i}`, token })));
    expect(results.filter((r) => r.status === 201), JSON.stringify(results.map((r) => r.body))).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body).toMatchObject({ code: 'BF_ERR_BOT_TOKEN_TAKEN', details: { field: '/body/token' } });
    const bots = (await call('GET', '/api/v1/bots')).body.items.filter((b: any) => b.name.startsWith('Bot '));
    expect(bots).toHaveLength(1);
  });
});

describe('body size and nesting', () => {
  it('a flow draft nested 5,000 levels is a coded 400, not a 500', async () => {
    const deep = '{"graph":{"schemaVersion":1,"nodes":[],"edges":[],"variables":[],"x":' + '['.repeat(5000) + ']'.repeat(5000) + '}}';
    const res = await raw('PUT', `/api/v1/flows/${flowId}/draft`, deep);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('BF_ERR_HTTP_BODY_TOO_DEEP');
    expect(paths(res.body)).toContain('/body');
  });

  it('a body over the limit is a coded 413, not a 400', async () => {
    const res = await raw('POST', '/api/v1/booking/departments', JSON.stringify({ name: 'x', description: 'y'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('BF_ERR_HTTP_BODY_TOO_LARGE');
  });

  it('unreadable bodies are coded 4xx naming the body or its type', async () => {
    const cases: Array<[string, string, number, string, string]> = [
      ['{"name":', 'application/json', 400, 'BF_ERR_HTTP_BAD_REQUEST', '/body'],
      ['', 'application/json', 400, 'BF_ERR_HTTP_BAD_REQUEST', '/body'],
      ['{"__proto__":{"x":1}}', 'application/json', 400, 'BF_ERR_HTTP_BAD_REQUEST', '/body'],
      ['name=x', 'application/x-www-form-urlencoded', 415, 'BF_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', '/headers/content-type'],
    ];
    for (const [body, type, status, code, field] of cases) {
      const res = await raw('POST', '/api/v1/booking/departments', body, { 'content-type': type });
      expect(res.status, `${type} ${body}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body).toMatchObject({ code, details: { field } });
    }
  });
});
