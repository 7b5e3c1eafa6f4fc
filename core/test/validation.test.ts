/**
 * Every route that takes a body or query with required fields refuses one without
 * them: a 400 naming each missing field. Walks the registered routes, so routes
 * added later are held to it too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../app.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { sampleValue } from '../../test/helpers/schema-sample.js';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp();
  token = await t.login(t.owner.email, t.owner.password);
  for (const p of t.app.host.plugins) {
    expect((await t.api('PUT', `/api/v1/plugins/${p.manifest.id}/enabled`, { token, body: { enabled: true } })).status).toBe(200);
  }
});
afterAll(async () => { await t?.close(); });

/** The route's path with valid-looking params; the demo business for `:tenant`. */
function path(route: RouteInfo): string {
  const params = (route.schema?.params as any)?.properties ?? {};
  return route.url.split('/').map((seg) => {
    if (!seg.startsWith(':')) return seg;
    const name = seg.slice(1).replace(/\(.*$/, '').replace(/\?$/, '');
    return encodeURIComponent(String(name === 'tenant' ? 'demo' : sampleValue(params[name] ?? { type: 'string', format: 'uuid' }, name)));
  }).join('/');
}

const owned = (r: RouteInfo) => r.roles === 'public' || r.roles === 'signed-in' || (Array.isArray(r.roles) && r.roles.includes('owner'));
/** Required fields without a default (ajv fills defaulted ones in). */
const required = (schema: any): string[] => (schema?.required ?? []).filter((field: string) => schema.properties?.[field]?.default === undefined);

describe('input validation over every route', () => {
  it('a body without its required fields is a 400 naming each of them', async () => {
    const routes = t.app.routes.filter((r) => owned(r) && required(r.schema?.body).length > 0);
    expect(routes.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const route of routes) {
      const res = await t.api(route.method, path(route), { token, body: {} });
      const paths = (res.body?.details?.errors ?? []).map((e: { path: string }) => e.path);
      const missing = required(route.schema!.body).filter((field) => !paths.includes(`/body/${field}`));
      if (res.status !== 400 || res.body.code !== 'BF_ERR_VALIDATION_FAILED' || missing.length) {
        problems.push(`${route.method} ${route.url}: ${res.status}, not named: ${missing.join(', ')} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('a query without its required parameters is a 400 naming each of them', async () => {
    const problems: string[] = [];
    for (const route of t.app.routes.filter((r) => owned(r) && required(r.schema?.querystring).length > 0)) {
      const body = route.schema?.body ? sampleValue(route.schema.body) : undefined;
      const res = await t.api(route.method, path(route), { token, body });
      const paths = (res.body?.details?.errors ?? []).map((e: { path: string }) => e.path);
      const missing = required(route.schema!.querystring).filter((field) => !paths.includes(`/querystring/${field}`));
      if (res.status !== 400 || missing.length) problems.push(`${route.method} ${route.url}: ${res.status}, not named: ${missing.join(', ')} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
  });
});
