/**
 * No bad input answers 5xx, over any route. The walker takes every route the app registered (core's and
 * every plugin's, public ones and the Telegram webhook, so routes added later are covered too), builds a
 * plausible call from the route's schemas with real ids of one business, then, per parameter (each path
 * param, query field and body field the schemas name, and the body as a whole), sends fast-check-generated
 * bad values of every kind: a NUL, a lone surrogate, a 1 MB string (8 KB in a URL, which Node caps at 16 KB),
 * a wrong type, ±Infinity, out-of-range numbers, impossible dates and deep nesting. Every answer must be
 * below 500, and every 400 must name the field it is about.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../app.js';
import { createSession } from '../auth/sessions.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { BotApiStandIn } from '../../test/helpers/bot-api-standin.js';
import { entityIdFor, fillPath, pathParams, rowsOf, tenantTables, walkedRoutes, type TenantRows } from '../../test/helpers/routes.js';
import { sampleValue } from '../../test/helpers/schema-sample.js';

/** random bad values per parameter, on top of one of each kind */
const RANDOM_RUNS = 1;
const BOT_TOKEN = `800950:${'w'.repeat(30)}`;

let standin: BotApiStandIn;
let t: TestApp;
let token: string;
let slug: string;
let rows: TenantRows;
let bot: { id: string; secret: string };

/** A bad value, as JSON text for a body and as already-encoded text for a URL. */
interface Bad { kind: string; json: string; url: string }

/** UTF-8 percent-encoding that also carries lone surrogates (as WTF-8 bytes, which no decoder turns into a valid string). */
function encode(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(ch);
  }
  return out;
}
const str = (kind: string) => (s: string): Bad => ({ kind, json: JSON.stringify(s), url: encode(s) });
const num = (kind: string) => (n: string): Bad => ({ kind, json: n, url: encode(n) });

const short = fc.string({ maxLength: 6 });
const SCHEMA_TYPES = ['string', 'number', 'boolean', 'object', 'array', 'null'] as const;
const typed: Record<(typeof SCHEMA_TYPES)[number], fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 8 }),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  boolean: fc.boolean(),
  object: fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 3 }),
  array: fc.array(fc.integer(), { maxLength: 3 }),
  null: fc.constant(null),
};
const typeOf = (schema: any): string[] => {
  const types = [schema?.type, ...(schema?.anyOf ?? []).map((s: any) => s.type)].flat().filter(Boolean);
  return types.map((x: string) => (x === 'integer' ? 'number' : x));
};

/** The kinds of bad value for a parameter of `schema`; a wrong type is one the schema does not take. */
function badValues(schema: any): Record<string, fc.Arbitrary<Bad>> {
  const own = typeOf(schema);
  const others = SCHEMA_TYPES.filter((x) => !own.includes(x));
  const bounds = [schema?.maximum, schema?.minimum].filter((x) => typeof x === 'number');
  return {
    nul: fc.tuple(short, short).map(([a, b]) => `${a}\u0000${b}`).map(str('NUL')),
    surrogate: fc.tuple(short, fc.integer({ min: 0xd800, max: 0xdfff }), short).map(([a, c, b]) => a + String.fromCharCode(c) + b).map(str('lone surrogate')),
    huge: fc.constantFrom('x', 'é', '7').map((ch) => ({ kind: '1 MB string', json: JSON.stringify(ch.repeat(1_000_000)), url: encode(ch.repeat(8_000)) })),
    wrongType: fc.oneof(...(others.length ? others : SCHEMA_TYPES).map((x) => typed[x]))
      .map((v) => ({ kind: 'wrong type', json: JSON.stringify(v), url: encode(typeof v === 'object' ? JSON.stringify(v) : String(v)) })),
    infinity: fc.constantFrom('1e400', '-1e400', '"Infinity"', '"-Infinity"', '"+Infinity"', '"NaN"', '"1e400"')
      .map((j) => ({ kind: '±Infinity', json: j, url: encode(j.replace(/"/g, '')) })),
    outOfRange: fc.oneof(
      fc.constantFrom('2147483648', '-2147483649', '9007199254740993', '1e308', '-1e308', '0.5', '-1', '-0', ...bounds.flatMap((b) => [String(b + 1), String(b - 1)])),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
    ).map(num('out-of-range number')),
    date: fc.oneof(
      fc.constantFrom('2026-02-30', '2026-02-29', '2026-12-31T23:59:60Z', '0000-01-01', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '2026-13-01T00:00:00Z',
        '2026-01-01T24:00:00Z', '9999-12-31T23:59:59-12:00', '2026-06-01T10:00:00+25:00', '1900-01-01T00:00:00Z', '2026-06-01T10:00:00'),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    ).map(str('impossible date')),
    deep: fc.integer({ min: 65, max: 5000 }).map((n) => ({ kind: 'deep nesting', json: '['.repeat(n) + ']'.repeat(n), url: encode('['.repeat(Math.min(n, 2000))) })),
  };
}

/** A parameter the walker can break: a path param, a query field, or a body field at a JSON pointer ('' is the body itself). */
interface Param { where: 'path' | 'query' | 'body'; name: string; schema: any }

/** Body fields of a schema, down to `depth` levels (array items as /0). */
function bodyFields(schema: any, prefix = '', depth = 3): Param[] {
  if (!schema || typeof schema !== 'object' || depth === 0) return [];
  const object = schema.anyOf?.find((s: any) => s.type === 'object') ?? schema;
  const out: Param[] = [];
  for (const [key, sub] of Object.entries<any>(object.properties ?? {})) {
    const name = `${prefix}/${key}`;
    out.push({ where: 'body', name, schema: sub }, ...bodyFields(sub, name, depth - 1));
  }
  if (object.type === 'array' && object.items) out.push({ where: 'body', name: `${prefix}/0`, schema: object.items }, ...bodyFields(object.items, `${prefix}/0`, depth - 1));
  return out;
}

function paramsOf(route: RouteInfo): Param[] {
  const s = route.schema as any;
  const path = pathParams(route.url).map((name): Param => ({ where: 'path', name, schema: s?.params?.properties?.[name] }));
  const query = Object.entries<any>(s?.querystring?.properties ?? {}).map(([name, schema]): Param => ({ where: 'query', name, schema }));
  const body = s?.body || ['POST', 'PUT', 'PATCH'].includes(route.method) ? [{ where: 'body' as const, name: '', schema: s?.body }, ...bodyFields(s?.body)] : [];
  return [...path, ...query, ...body];
}

const idFor = (name: string) => entityIdFor(rows, name);

/** Sets the JSON text `json` at pointer `at` of `base` (a body as a value), returning the body as JSON text. */
function bodyWith(base: unknown, at: string, json: string): string {
  if (at === '') return json;
  const MARK = `__bad_${Math.random().toString(36).slice(2)}__`;
  const copy = structuredClone(base ?? {}) as any;
  const keys = at.split('/').slice(1);
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = /^\d+$/.test(keys[keys.indexOf(key) + 1] ?? '') ? [] : {};
    node = node[key];
  }
  node[keys.at(-1)!] = MARK;
  return JSON.stringify(copy).replace(JSON.stringify(MARK), () => json);
}

interface Sent { status: number; text: string; what: string }

async function call(route: RouteInfo, param: Param | undefined, bad: Bad | undefined): Promise<Sent> {
  const s = route.schema as any;
  const url = fillPath(route.url, (name, segmentBefore) => {
    if (param?.where === 'path' && param.name === name) return bad!.url;
    if (name === 'tenant') return slug;
    if (name === 'botId') return bot.id;
    const schema = s?.params?.properties?.[name];
    return encode(String(entityIdFor(rows, name, segmentBefore) ?? (schema && schema.format !== 'uuid' && !schema.pattern ? sampleValue(schema, name, idFor) : crypto.randomUUID())));
  });
  const query = Object.entries((s?.querystring ? sampleValue(s.querystring, '', idFor) : {}) as Record<string, unknown>)
    .filter(([k]) => !(param?.where === 'query' && param.name === k)).map(([k, v]) => `${encode(k)}=${encode(String(v))}`);
  if (param?.where === 'query') query.push(`${encode(param.name)}=${bad!.url}`);
  const hasBody = s?.body || ['POST', 'PUT', 'PATCH'].includes(route.method);
  const body = !hasBody ? undefined : param?.where === 'body' ? bodyWith(s?.body ? sampleValue(s.body, '', idFor) : {}, param.name, bad!.json) : JSON.stringify(s?.body ? sampleValue(s.body, '', idFor) : {});
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-tenant': slug };
  if (route.url.includes(':botId')) headers['x-telegram-bot-api-secret-token'] = bot.secret;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const path = url + (query.length ? `?${query.join('&')}` : '');
  const res = await fetch(t.url + path, { method: route.method, headers, body });
  const text = await res.text();
  const what = `${route.method} ${route.url} ${param ? `${param.where} ${param.name || '(whole body)'} = ${bad!.kind}` : '(plausible call)'}: ${path.slice(0, 160)} ${(body ?? '').slice(0, 160)}`;
  return { status: res.status, text, what };
}

/** Whether a 400 answer names the field it is about: details.field (or .path), or a path in each of details.errors. */
function namesField(text: string): boolean {
  try {
    const details = JSON.parse(text).details ?? {};
    return typeof details.field === 'string' || typeof details.path === 'string' || (Array.isArray(details.errors) && details.errors.length > 0 && details.errors.every((e: any) => typeof e.path === 'string' && e.path !== '/'));
  } catch {
    return false;
  }
}

const fiveHundreds: string[] = [];
const nameless = new Map<string, string>();
let cases = 0;
let walked: RouteInfo[] = [];

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test' } });
  standin.webhookTarget = t.url;
  token = await t.login(t.owner.email, t.owner.password);
  slug = `walk-${crypto.randomUUID().slice(0, 6)}`;
  const created = await t.api('POST', '/api/v1/tenants', { token, body: { slug, name: 'Walker spa', timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' } });
  expect(created.status).toBe(201);
  const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant: slug, body });
  for (const p of t.app.host.plugins) expect((await api('PUT', `/api/v1/plugins/${p.manifest.id}/enabled`, { enabled: true })).status).toBe(200);
  // Real rows of every plugin's tables, so ids in paths and bodies reach the handlers.
  for (const p of t.app.host.plugins.filter((x) => x.server.seedDemo)) await t.app.db.db.transaction().execute((trx) => p.server.seedDemo!(p.ctx, trx, created.body.id));
  // The public routes are rate-limited per address; the walker is one address.
  expect((await api('PUT', '/api/v1/plugins/booking/config', { config: { publicRateLimitPerMinute: 100000 } })).status).toBe(200);
  expect((await api('POST', '/api/v1/flows', { key: 'walk', name: 'Walk' })).status).toBe(201);
  expect((await api('POST', '/api/v1/contacts', { name: 'Walker client', phone: '+491701110000', email: 'walker@walk.test' })).status).toBe(201);
  const made = await api('POST', '/api/v1/bots', { name: 'Walker bot', token: BOT_TOKEN });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const row = await t.app.db.db.selectFrom('bots').select(['id', 'webhook_secret']).where('id', '=', made.body.id).executeTakeFirstOrThrow();
  bot = { id: row.id, secret: row.webhook_secret };
  rows = await rowsOf(t.app.db.db, await tenantTables(t.app.db.db), created.body.id);
  walked = walkedRoutes(t.app.routes);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('bad input over every route', () => {
  it('never answers 5xx', async () => {
    const started = Date.now();
    let paramCount = 0;
    for (const route of walked) {
      const record = (sent: Sent) => {
        cases++;
        if (sent.status >= 500) fiveHundreds.push(`${sent.what} → ${sent.status} ${sent.text.slice(0, 300)}`);
        if (sent.status === 400 && !namesField(sent.text)) nameless.set(`${JSON.parse(sent.text).code} on ${route.method} ${route.url}`, `${sent.what} → ${sent.text.slice(0, 300)}`);
      };
      record(await call(route, undefined, undefined));
      for (const param of paramsOf(route)) {
        paramCount++;
        const kinds = badValues(param.schema);
        // One of each kind first (fast-check's examples), then random ones of any kind but the slow megabyte.
        const examples = Object.values(kinds).map((k): [Bad] => [fc.sample(k, 1)[0]]);
        const { huge: _once, ...cheap } = kinds;
        await fc.assert(fc.asyncProperty(fc.oneof(...Object.values(cheap)), async (bad) => {
          record(await call(route, param, bad));
        }), { numRuns: examples.length + RANDOM_RUNS, examples });
      }
      // A route may end the session (logout): go on with a fresh one.
      if ((await t.api('GET', '/api/v1/auth/me', { token })).status === 401) token = (await createSession(t.app.db.db, t.owner.userId, 1, t.clock.now())).token;
    }
    console.log(`route walker: ${walked.length} routes, ${paramCount} parameters, ${cases} cases, ${fiveHundreds.length} × 5xx, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(walked.some((r) => r.roles === 'public' && r.url.includes(':tenant'))).toBe(true);
    expect(walked.some((r) => r.url === '/telegram/:botId')).toBe(true);
    expect(fiveHundreds).toEqual([]);
  }, 600_000);

  it('every 400 it got names the field', () => {
    expect(cases).toBeGreaterThan(0);
    expect([...nameless.values()]).toEqual([]);
  });
});
