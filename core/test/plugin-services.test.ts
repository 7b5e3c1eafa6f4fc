/**
 * Services and extension points between plugins, through the real loader and app: plugins/example offers a
 * service and declares a veto and a value point; core/test/fixtures/plugins/notes-reviewer depends on it,
 * uses the service and contributes to both. Also the SDK calls that replace SQL on core's tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookflowError } from '../errors.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { tempPluginsDir, type TestPlugin } from '../../test/helpers/plugins.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'plugins');

/** A fixture plugin folder as tempPluginsDir takes it. */
function fixture(id: string): TestPlugin {
  const dir = path.join(FIXTURES, id);
  const files = fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((f) => f.isFile() && f.name !== 'plugin.json')
    .map((f) => path.relative(dir, path.join(f.parentPath, f.name)));
  return { manifest: JSON.parse(fs.readFileSync(path.join(dir, 'plugin.json'), 'utf8')), files: Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')])) };
}

const dirs: Array<{ remove(): void }> = [];
afterAll(() => dirs.forEach((d) => d.remove()));
const pluginsDir = (plugins: Record<string, TestPlugin>) => {
  const d = tempPluginsDir({ copy: ['example'], plugins });
  dirs.push(d);
  return d.dir;
};

/** The coded error a call throws. */
async function rejection(fn: () => unknown): Promise<BookflowError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BookflowError);
    return e as BookflowError;
  }
  throw new Error('expected a coded error');
}

let t: TestApp;
let token: string;
const api = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => t.api(method, url, { token, body, headers });
const setEnabled = (id: string, enabled: boolean) => api('PUT', `/api/v1/plugins/${id}/enabled`, { enabled });

beforeAll(async () => {
  t = await startTestApp({
    pluginsDir: pluginsDir({
      'notes-reviewer': fixture('notes-reviewer'),
      // Uses example without depending on it, and has no service of its own.
      outsider: { files: { 'server.ts': 'export default {};' } },
      // Works with example and with a plugin that is not installed, when they are there.
      companion: {
        manifest: { optionalDependencies: { example: '^1.0.0', ghost: '^1.0.0' }, errors: { BF_ERR_COMPANION_GHOST: { status: 422, message: 'No ghosts', solve: 'Leave ghosts out.' } } },
        files: { 'server.ts': `export default { extensions: { 'ghost.anything': async () => undefined, 'example.beforeNote': async (input) => (input.text.includes('ghost') ? { code: 'BF_ERR_COMPANION_GHOST' } : undefined) } };` },
      },
    }),
  });
  token = await t.login(t.owner.email, t.owner.password);
  for (const id of ['example', 'notes-reviewer']) expect((await setEnabled(id, true)).status).toBe(200);
});
afterAll(() => t?.close());

describe('services', () => {
  it('a plugin that depends on example gets its service, typed by example/contract.ts', async () => {
    expect((await api('POST', '/api/v1/example/notes', { text: 'Order towels' })).status).toBe(201);
    const summary = await api('GET', '/api/v1/notes-reviewer/summary');
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    expect(summary.body).toEqual({ count: expect.any(Number), latest: 'Order towels' });
    expect(t.app.host.get('notes-reviewer').ctx.service('example')).toBe(t.app.host.get('notes-reviewer').ctx.service('example'));
  });

  it('a plugin that does not list example in its dependencies is refused its service', async () => {
    const outsider = t.app.host.get('outsider').ctx;
    expect((await rejection(() => outsider.service('example'))).code).toBe('BF_ERR_PLUGIN_SERVICE_FORBIDDEN');
    expect((await rejection(() => outsider.service('example'))).details).toEqual({ plugin: 'outsider', service: 'example' });
  });
});

describe('optional dependencies', () => {
  it('the service of an installed optional dependency comes only while it is enabled for the business; a missing one is undefined', async () => {
    const companion = t.app.host.get('companion').ctx;
    expect(await companion.optionalService('example' as never, t.demoTenantId)).toBe(t.app.host.get('notes-reviewer').ctx.service('example'));
    expect(await companion.optionalService('ghost' as never, t.demoTenantId)).toBeUndefined();
    // notes-reviewer needs example on; companion does not stop it going off
    for (const id of ['notes-reviewer', 'example']) expect((await setEnabled(id, false)).status).toBe(200);
    try {
      expect(await companion.optionalService('example' as never, t.demoTenantId)).toBeUndefined();
    } finally {
      for (const id of ['example', 'notes-reviewer']) expect((await setEnabled(id, true)).status).toBe(200);
    }
    expect((await rejection(() => t.app.host.get('outsider').ctx.optionalService('example' as never, t.demoTenantId))).code).toBe('BF_ERR_PLUGIN_SERVICE_FORBIDDEN');
  });

  it('contributes to an optional dependency\'s points; those of a missing one are skipped', async () => {
    expect((await setEnabled('companion', true)).status).toBe(200);
    try {
      expect((await api('POST', '/api/v1/example/notes', { text: 'a ghost note' })).status).toBe(422);
    } finally {
      expect((await setEnabled('companion', false)).status).toBe(200);
    }
    expect((await api('POST', '/api/v1/example/notes', { text: 'a ghost note' })).status).toBe(201);
  });
});

describe('extension points', () => {
  it('a value pipeline rewrites the note, a veto refuses one with the contributor\'s own localized error', async () => {
    const tidy = await api('POST', '/api/v1/example/notes', { text: '  Call   the\tsupplier  ' });
    expect(tidy.body.text).toBe('Call the supplier');
    const refused = await api('POST', '/api/v1/example/notes', { text: 'wifi password: hunter2' }, { 'accept-language': 'uk' });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ code: 'BF_ERR_NOTESREVIEWER_SECRET', message: 'У нотатці не має бути пароля', details: { plugin: 'notes-reviewer' } });
    expect((await api('GET', '/api/v1/example/notes')).body.items.map((n: any) => n.text)).not.toContain('wifi password: hunter2');
  });

  it('reaches only plugins enabled for the business', async () => {
    expect((await setEnabled('notes-reviewer', false)).status).toBe(200);
    try {
      const saved = await api('POST', '/api/v1/example/notes', { text: 'router  password  in the drawer' });
      expect(saved.status).toBe(201);
      expect(saved.body.text).toBe('router  password  in the drawer');
    } finally {
      expect((await setEnabled('notes-reviewer', true)).status).toBe(200);
    }
  });

  it('only the owner calls its points', async () => {
    const outsider = t.app.host.get('outsider').ctx;
    const e = await rejection(() => outsider.extensions.veto(t.demoTenantId, 'example.beforeNote', { text: 'x', source: 'api' }));
    expect(e).toMatchObject({ code: 'BF_ERR_PLUGIN_EXTENSION_MISUSED', details: { plugin: 'outsider', point: 'example.beforeNote', kind: 'veto' } });
  });

  it('the loader refuses a contribution to a point of a plugin it does not depend on, and a point named after another plugin', async () => {
    const sneaky = pluginsDir({ sneaky: { files: { 'server.ts': `export default { extensions: { 'example.beforeNote': async () => undefined } };` } } });
    expect(await rejection(() => startTestApp({ pluginsDir: sneaky, seedDemo: false }))).toMatchObject({ code: 'BF_ERR_PLUGIN_EXTENSION_UNDECLARED', details: { plugin: 'sneaky', point: 'example.beforeNote' } });
    const squatter = pluginsDir({ squatter: { manifest: { extensionPoints: { 'example.other': { kind: 'veto' } } } } });
    expect(await rejection(() => startTestApp({ pluginsDir: squatter, seedDemo: false }))).toMatchObject({ code: 'BF_ERR_PLUGIN_MANIFEST_INVALID', details: { errors: [{ path: '/extensionPoints/example.other' }] } });
  });
});

describe('the business and its members, without SQL on core tables', () => {
  it('ctx.business gives the profile; ctx.members who belongs', async () => {
    expect((await api('PATCH', '/api/v1/tenant', { address: 'Tverskaya 1, Moscow' })).status).toBe(200);
    const ctx = t.app.host.get('notes-reviewer').ctx;
    expect(await ctx.business(t.demoTenantId)).toEqual({ id: t.demoTenantId, slug: 'demo', name: expect.any(String), timezone: expect.any(String), currency: expect.any(String), locale: expect.stringMatching(/^(ru|en|uk)$/), address: 'Tverskaya 1, Moscow', country: 'RU', quietHours: null, telegramBots: [] });
    const { userId } = await t.addMember(token, 'reviewer-spec@test.local', 'specialist', { name: 'Reviewer' });
    expect(await ctx.members.isMember(ctx.db, t.demoTenantId, userId)).toBe(true);
    expect(await ctx.members.isMember(ctx.db, t.demoTenantId, '00000000-0000-0000-0000-000000000000')).toBe(false);
    expect((await ctx.members.list(ctx.db, t.demoTenantId)).map((m) => m.email)).toEqual(expect.arrayContaining([t.owner.email, 'reviewer-spec@test.local']));
    expect((await api('DELETE', `/api/v1/members/${userId}`)).status).toBeLessThan(300);
    expect(await ctx.members.isMember(ctx.db, t.demoTenantId, userId)).toBe(false);
    // A former member is still named by id: a history shows who acted.
    expect(await ctx.members.list(ctx.db, t.demoTenantId, { userIds: [userId] })).toEqual([{ userId: userId, email: 'reviewer-spec@test.local', name: 'Reviewer', role: 'specialist', active: false }]);
  });
});
