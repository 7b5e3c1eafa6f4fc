import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createSession } from '../auth/sessions.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { tempPluginsDir, writePlugin } from '../../test/helpers/plugins.js';

// A test-only plugin whose route fails the way a bug would: a plain Error with something secret in it.
const BOOM_SERVER = `
export default {
  routes(app) {
    app.get('/boom', { config: { roles: ['owner', 'admin', 'manager', 'specialist'] } }, async () => {
      throw new Error('connection to db at 10.0.0.7 failed: password hunter2');
    });
  },
};
`;

let t: TestApp;
let plugins: ReturnType<typeof tempPluginsDir>;
let owner: string;
const tokens: Record<'admin' | 'manager' | 'specialist', string> = { admin: '', manager: '', specialist: '' };
const ids: Record<string, string> = {};

beforeAll(async () => {
  plugins = tempPluginsDir({ copy: ['example'], plugins: { boom: { manifest: { enabledByDefault: true }, files: { 'server.ts': BOOM_SERVER } } } });
  t = await startTestApp({ pluginsDir: plugins.dir });
  owner = await t.login(t.owner.email, t.owner.password);
  expect((await t.api('PUT', '/api/v1/plugins/example/enabled', { token: owner, body: { enabled: true } })).status).toBe(200);
  for (const role of ['admin', 'manager', 'specialist'] as const) {
    const member = await t.addMember(owner, `${role}@roles.test`, role, { name: role });
    ids[role] = member.userId;
    tokens[role] = member.token;
  }
});
afterAll(async () => {
  await t?.close();
  plugins?.remove();
});

describe('roles', () => {
  it('every route declares the roles it allows', () => {
    const undeclared = t.app.routes.filter((r) => r.roles === undefined && !r.url.startsWith('/docs')).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('refuses to build an app with a route that declares no roles', async () => {
    const dir = tempPluginsDir();
    try {
      writePlugin(dir.dir, 'careless', { files: { 'server.ts': `export default { routes(app) { app.get('/careless', async () => ({})); } };` } });
      await expect(createApp({ config: { ...loadConfig({}), secretKey: '1'.repeat(64) }, databaseUrl: t.databaseUrl, pluginsDir: dir.dir })).rejects.toThrow(/GET \/api\/v1\/careless must declare config\.roles/);
    } finally {
      dir.remove();
    }
  });

  it('a specialist is forbidden on owner and admin routes, with the coded error', async () => {
    for (const [method, url, body] of [
      ['GET', '/api/v1/members'], ['POST', '/api/v1/members/invitations', { email: 'x@y.test', role: 'manager' }],
      ['GET', '/api/v1/members/invitations'],
      ['PATCH', '/api/v1/tenant', { name: 'Taken over' }], ['PUT', '/api/v1/plugins/example/config', { config: {} }],
      ['GET', '/api/v1/audit'], ['GET', '/api/v1/trash'], ['GET', '/api/v1/example/notes'],
    ] as Array<[string, string, unknown?]>) {
      const res = await t.api(method, url, { token: tokens.specialist, body });
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.code).toBe('BF_ERR_AUTH_FORBIDDEN');
      expect(res.body.details).toMatchObject({ role: 'specialist' });
    }
    expect((await t.api('GET', '/api/v1/tenant', { token: tokens.specialist })).status).toBe(200);
    expect((await t.api('GET', '/api/v1/plugins', { token: tokens.specialist })).status).toBe(200);
  });

  it('a manager works with notes but does not manage the team; an admin may not make owners or remove members', async () => {
    expect((await t.api('POST', '/api/v1/example/notes', { token: tokens.manager, body: { text: 'from the manager' } })).status).toBe(201);
    expect((await t.api('POST', '/api/v1/members/invitations', { token: tokens.manager, body: { email: 'm2@roles.test', role: 'specialist' } })).body.code).toBe('BF_ERR_AUTH_FORBIDDEN');
    const asOwner = await t.api('POST', '/api/v1/members/invitations', { token: tokens.admin, body: { email: 'o2@roles.test', role: 'owner' } });
    expect(asOwner).toMatchObject({ status: 403, body: { code: 'BF_ERR_AUTH_FORBIDDEN' } });
    expect((await t.api('DELETE', `/api/v1/members/${ids.specialist}`, { token: tokens.admin })).status).toBe(403);
  });

  it('asks for a sign-in without a valid token', async () => {
    expect((await t.api('GET', '/api/v1/tenant')).body.code).toBe('BF_ERR_AUTH_REQUIRED');
    const res = await t.api('GET', '/api/v1/tenant', { token: 'not-a-token' });
    expect(res).toMatchObject({ status: 401, body: { code: 'BF_ERR_AUTH_REQUIRED' } });
  });
});

describe('sessions', () => {
  it('an expired token is refused as expired', async () => {
    const { token } = await createSession(t.app.db.db, t.owner.userId, -1, t.clock.now());
    const res = await t.api('GET', '/api/v1/auth/me', { token });
    expect(res).toMatchObject({ status: 401, body: { code: 'BF_ERR_AUTH_TOKEN_EXPIRED' } });
  });

  it('tokens live as long as SESSION_TTL_HOURS says', async () => {
    expect(loadConfig({ SESSION_TTL_HOURS: '3' }).sessionTtlHours).toBe(3);
    const zero = await startTestApp({ databaseUrl: t.databaseUrl, pluginsDir: plugins.dir, config: { sessionTtlHours: 0 } });
    try {
      const token = await zero.login(t.owner.email, t.owner.password);
      expect((await zero.api('GET', '/api/v1/auth/me', { token })).body.code).toBe('BF_ERR_AUTH_TOKEN_EXPIRED');
    } finally {
      await zero.close();
    }
  });

  it('logout ends the session', async () => {
    const token = await t.login(t.owner.email, t.owner.password);
    expect((await t.api('POST', '/api/v1/auth/logout', { token })).status).toBe(204);
    expect((await t.api('GET', '/api/v1/auth/me', { token })).status).toBe(401);
  });

  it('login is rate-limited per address and email', async () => {
    const body = { email: 'guesser@roles.test', password: 'wrong' };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await t.api('POST', '/api/v1/auth/login', { body })).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const limited = await t.api('POST', '/api/v1/auth/login', { body });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('BF_ERR_HTTP_RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another email from the same address still gets through.
    expect((await t.api('POST', '/api/v1/auth/login', { body: { email: t.owner.email, password: t.owner.password } })).status).toBe(200);
  });
});

describe('audit and trash', () => {
  const audit = async (entity: string, entityId: string) =>
    (await t.api('GET', `/api/v1/audit?entity=${entity}&entityId=${entityId}`, { token: owner })).body.items as any[];

  it('writes every mutation to the audit log with before and after', async () => {
    const patch = await t.api('PATCH', '/api/v1/tenant', { token: owner, body: { name: 'Renamed' } });
    expect(patch.status).toBe(200);
    const [row] = await audit('tenant', patch.body.id);
    expect(row).toMatchObject({ action: 'update', actor_id: t.owner.userId, before: { name: 'Demo' }, after: { name: 'Renamed' } });

    const cfg = await t.api('PUT', '/api/v1/plugins/example/config', { token: owner, body: { config: { greeting: 'Hi', maxNotes: 5 } } });
    expect(cfg.status).toBe(200);
    expect((await audit('plugin_config', 'example'))[0]).toMatchObject({ action: 'update', before: { greeting: 'Hello', maxNotes: 100 }, after: { greeting: 'Hi', maxNotes: 5 } });
    expect((await audit('plugin', 'example'))[0]).toMatchObject({ action: 'enable', before: { enabled: false }, after: { enabled: true } });
    expect((await audit('member', ids.specialist))[0]).toMatchObject({ action: 'create', after: { email: 'specialist@roles.test', role: 'specialist' } });
  });

  it('soft-deletes a note, lists it in the trash and restores it, all audited', async () => {
    const note = (await t.api('POST', '/api/v1/example/notes', { token: owner, body: { text: 'to the trash' } })).body;
    expect((await t.api('DELETE', `/api/v1/example/notes/${note.id}`, { token: owner })).status).toBe(204);
    expect((await t.api('GET', '/api/v1/example/notes', { token: owner })).body.items.map((n: any) => n.id)).not.toContain(note.id);
    const row = await t.app.db.db.selectFrom('example_notes').select('deleted_at').where('id', '=', note.id).executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();

    const trash = await t.api('GET', '/api/v1/trash', { token: owner });
    expect(trash.body.entities).toEqual(expect.arrayContaining(['member', 'example_note']));
    expect(trash.body.items).toContainEqual(expect.objectContaining({ entity: 'example_note', id: note.id, label: 'to the trash' }));
    expect((await t.api('GET', '/api/v1/trash', { token: tokens.manager })).status).toBe(403);

    const restore = await t.api('POST', `/api/v1/trash/example_note/${note.id}/restore`, { token: tokens.admin });
    expect(restore).toMatchObject({ status: 200, body: { restored: true } });
    expect((await t.api('GET', '/api/v1/example/notes', { token: owner })).body.items.map((n: any) => n.id)).toContain(note.id);
    expect((await audit('example_note', note.id)).map((r) => r.action)).toEqual(['restore', 'delete', 'create']);
    expect((await audit('example_note', note.id))[1].before).toMatchObject({ text: 'to the trash' });

    expect((await t.api('POST', `/api/v1/trash/example_note/${note.id}/restore`, { token: owner })).body.code).toBe('BF_ERR_TRASH_NOT_FOUND');
    expect((await t.api('POST', `/api/v1/trash/spaceship/${note.id}/restore`, { token: owner })).body.code).toBe('BF_ERR_TRASH_UNKNOWN_ENTITY');
  });

  it('a removed member loses access until an admin restores them', async () => {
    expect((await t.api('DELETE', `/api/v1/members/${ids.manager}`, { token: owner })).status).toBe(204);
    expect((await t.api('GET', '/api/v1/example/notes', { token: tokens.manager })).body.code).toBe('BF_ERR_TENANT_NOT_MEMBER');
    expect((await t.api('GET', '/api/v1/members', { token: owner })).body.items.map((m: any) => m.id)).not.toContain(ids.manager);
    expect((await audit('member', ids.manager))[0]).toMatchObject({ action: 'delete', before: { email: 'manager@roles.test', role: 'manager' } });

    expect((await t.api('GET', '/api/v1/trash', { token: owner })).body.items).toContainEqual(expect.objectContaining({ entity: 'member', id: ids.manager }));
    expect((await t.api('POST', `/api/v1/trash/member/${ids.manager}/restore`, { token: tokens.admin })).status).toBe(200);
    expect((await t.api('GET', '/api/v1/example/notes', { token: tokens.manager })).status).toBe(200);
    expect((await t.api('DELETE', `/api/v1/members/${ids.manager}`, { token: owner })).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/members/${ids.manager}`, { token: owner })).body.code).toBe('BF_ERR_USER_NOT_FOUND');
  });
});

describe('errors and docs', () => {
  it('an unexpected error is a 500 with a request id and nothing of the cause', async () => {
    const res = await t.api('GET', '/api/v1/boom', { token: tokens.specialist });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 'BF_ERR_SERVER_INTERNAL', message: expect.stringContaining(res.body.details.requestId), details: { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|10\.0\.0\.7|at .*\.ts:\d+|stack/);
  });

  it('an unknown route is a coded 404', async () => {
    const res = await t.api('GET', '/api/v1/no/such/route?x=1');
    expect(res).toMatchObject({ status: 404, body: { code: 'BF_ERR_HTTP_NOT_FOUND', details: { method: 'GET', url: '/api/v1/no/such/route' } } });
  });

  it('a bad query names the field', async () => {
    const res = await t.api('GET', '/api/v1/audit?limit=0', { token: owner });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BF_ERR_VALIDATION_FAILED');
    expect(res.body.details.errors.map((e: any) => e.path)).toContain('/querystring/limit');
  });

  it('a body that is not JSON is a coded 400', async () => {
    const res = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('BF_ERR_HTTP_BAD_REQUEST');
  });

  it('serves the OpenAPI document at /docs/json', async () => {
    const res = await t.api('GET', '/docs/json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/example/notes', '/api/v1/trash/{entity}/{id}/restore', '/health']));
    expect((await fetch(`${t.url}/docs`)).status).toBeLessThan(400);
  });
});
