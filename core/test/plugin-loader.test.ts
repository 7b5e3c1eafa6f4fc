import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { BookflowError } from '../errors.js';
import { CORE_VERSION } from '../version.js';
import { discoverPlugins, orderPlugins } from '../plugins/resolve.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { freshDatabase } from '../../test/helpers/db.js';
import { tempPluginsDir, type TestPlugin } from '../../test/helpers/plugins.js';
import { until } from '../../test/helpers/wait.js';

const dirs: Array<{ remove(): void }> = [];
const folder = (plugins: Record<string, TestPlugin>) => {
  const d = tempPluginsDir({ plugins });
  dirs.push(d);
  return d.dir;
};
afterAll(() => dirs.forEach((d) => d.remove()));

/** The coded error a function throws. */
function thrown(fn: () => unknown): BookflowError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BookflowError);
    return e as BookflowError;
  }
  throw new Error('expected a coded error');
}
const load = (dir: string) => orderPlugins(discoverPlugins(dir), CORE_VERSION);

describe('manifests', () => {
  it('refuses a bad manifest naming each field, before any plugin code or migration runs', async () => {
    const marker = (name: string) => `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(path.join('MARKERS', name))}, 'ran');\nexport default {};\n`;
    const dir = folder({});
    const markers = path.join(dir, 'markers');
    fs.mkdirSync(markers);
    const code = (name: string) => marker(name).replace('MARKERS', markers);
    fs.cpSync(folder({
      good: { files: { 'server.ts': code('good-server'), 'migrations/0001_x.ts': code('good-migration').replace('export default {};', 'export async function up() {}') } },
      broken: { manifest: { version: 'one', name: { ru: 'Сломан' }, colour: 'red' }, files: { 'server.ts': code('broken-server'), 'migrations/0001_x.ts': code('broken-migration') } },
    }), dir, { recursive: true });

    const databaseUrl = await freshDatabase({ empty: true });
    const error = await createApp({ config: { ...loadConfig({}), secretKey: '1'.repeat(64) }, databaseUrl, pluginsDir: dir }).then(() => undefined, (e) => e);
    expect(error).toBeInstanceOf(BookflowError);
    expect(error.code).toBe('BF_ERR_PLUGIN_MANIFEST_INVALID');
    expect(error.details.file).toBe(path.join(dir, 'broken', 'plugin.json'));
    expect(error.details.errors.map((e: any) => e.path).sort()).toEqual(['/colour', '/name/en', '/version']);
    expect(fs.readdirSync(markers)).toEqual([]);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    await client.end();
    expect(rows).toEqual([]);

    // The markers do work: running the good plugin's code leaves one.
    await import(pathToFileURL(path.join(dir, 'good', 'server.ts')).href);
    expect(fs.readdirSync(markers)).toEqual(['good-server']);
  });

  it('names the field for a wrong id, unreadable JSON and a bad error code', () => {
    expect(thrown(() => load(folder({ mine: { manifest: { id: 'yours' } } }))).details).toMatchObject({ errors: [{ path: '/id', message: expect.stringContaining('"mine"') }] });
    const dir = folder({ garbled: {} });
    fs.writeFileSync(path.join(dir, 'garbled', 'plugin.json'), '{ "id": "garbled", ');
    expect(thrown(() => load(dir))).toMatchObject({ code: 'BF_ERR_PLUGIN_MANIFEST_INVALID', details: { errors: [{ path: '/' }] } });
    const badCode = thrown(() => load(folder({ codes: { manifest: { errors: { NOT_A_CODE: { status: 400, message: 'x', solve: 'y' }, BF_ERR_CODES_BAD: { status: 200, message: 'x' } } } } })));
    expect(badCode.details!.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: '/errors' }),
      expect.objectContaining({ path: '/errors/BF_ERR_CODES_BAD/status' }),
      expect.objectContaining({ path: '/errors/BF_ERR_CODES_BAD/solve' }),
    ]));
  });

  it('names the bad studio page or zone, and a studio manifest without studio code, before any plugin code runs', () => {
    const ui = { 'studio/index.tsx': 'export default {};' };
    const page = { id: 'notes', group: 'work', label: { en: 'Notes' } };
    const errors = (studio: unknown, files: Record<string, string> = ui) => thrown(() => load(folder({ panel: { manifest: { studio }, files } }))).details!.errors as Array<{ path: string; message: string }>;
    expect(errors({ pages: [{ ...page, id: 'Notes!', group: 'sidebar', roles: ['boss'], label: { ru: 'Заметки' } }], zones: ['client.card', 'checkout'] }).map((e) => e.path).sort()).toEqual([
      '/studio/pages/0/group', '/studio/pages/0/id', '/studio/pages/0/label/en', '/studio/pages/0/roles/0', '/studio/zones/1',
    ]);
    expect(errors({ menu: [] })).toEqual([expect.objectContaining({ path: '/studio/menu' })]);
    expect(errors({ pages: [page, { ...page, label: { en: 'Notes again' } }] })).toEqual([{ path: '/studio/pages/1/id', message: 'page "notes" is declared twice' }]);
    expect(errors({ zones: ['settings'] }, {})).toEqual([{ path: '/studio', message: expect.stringContaining('no studio/index.tsx') }]);
    // A good one loads.
    expect(load(folder({ panel: { manifest: { studio: { pages: [{ ...page, roles: ['owner'], icon: '📝' }], zones: ['client.card', 'booking.details', 'journal.cell', 'settings'] } }, files: ui } }))[0].manifest.studio!.pages).toHaveLength(1);
  });
});

describe('dependencies and versions', () => {
  it('orders plugins after their dependencies, ties by id', () => {
    const order = load(folder({
      zeta: {}, app: { manifest: { dependencies: { mid: '^1.0.0' } } }, mid: { manifest: { dependencies: { base: '>=1' } } }, base: {},
    })).map((p) => p.manifest.id);
    expect(order).toEqual(['base', 'mid', 'app', 'zeta']);
  });

  it('refuses a dependency cycle, naming it', () => {
    const e = thrown(() => load(folder({ aa: { manifest: { dependencies: { bb: '*' } } }, bb: { manifest: { dependencies: { cc: '*' } } }, cc: { manifest: { dependencies: { aa: '*' } } } })));
    expect(e.code).toBe('BF_ERR_PLUGIN_DEPENDENCY_CYCLE');
    expect(e.details!.cycle).toBe('aa → bb → cc → aa');
  });

  it('refuses a missing dependency', () => {
    const e = thrown(() => load(folder({ lonely: { manifest: { dependencies: { ghost: '^1.0.0' } } } })));
    expect(e).toMatchObject({ code: 'BF_ERR_PLUGIN_DEPENDENCY_MISSING', details: { plugin: 'lonely', dependency: 'ghost' } });
  });

  it('refuses a core version outside the plugin’s range', () => {
    const e = thrown(() => load(folder({ future: { manifest: { core: '^99.0.0' } } })));
    expect(e).toMatchObject({ code: 'BF_ERR_PLUGIN_VERSION_MISMATCH', details: { plugin: 'future', needs: 'core', range: '^99.0.0', found: CORE_VERSION } });
  });

  it('refuses a dependency whose version is outside the range', () => {
    const e = thrown(() => load(folder({ old: { manifest: { version: '1.4.0' } }, picky: { manifest: { dependencies: { old: '^2.0.0' } } } })));
    expect(e).toMatchObject({ code: 'BF_ERR_PLUGIN_VERSION_MISMATCH', details: { plugin: 'picky', needs: 'old', range: '^2.0.0', found: '1.4.0' } });
  });

  it('refuses two plugins with one id', () => {
    const e = thrown(() => orderPlugins([...discoverPlugins(folder({ twin: {} })), ...discoverPlugins(folder({ twin: {} }))], CORE_VERSION));
    expect(e).toMatchObject({ code: 'BF_ERR_PLUGIN_DUPLICATE', details: { plugin: 'twin' } });
  });
});

describe('per-business enablement and config over HTTP', () => {
  let t: TestApp;
  let token: string;
  let pluginsDir: string;
  const route = (id: string) => `export default { routes(app) { app.get('/${id}/ping', { config: { roles: ['owner'] } }, async () => ({ pong: '${id}' })); } };`;
  beforeAll(async () => {
    pluginsDir = folder({
      base: { files: { 'server.ts': route('base') } },
      addon: { manifest: { dependencies: { base: '^1.0.0' } }, files: { 'server.ts': route('addon') } },
      reminders: {
        manifest: {
          configSchema: {
            type: 'object', additionalProperties: false,
            properties: {
              channel: { type: 'string', enum: ['telegram', 'sms'], default: 'telegram' },
              reminders: { type: 'array', default: [{ hours: 24 }], items: { type: 'object', required: ['hours'], properties: { hours: { type: 'integer', minimum: 1 } } } },
            },
          },
        },
      },
    });
    t = await startTestApp({ pluginsDir });
    token = await t.login(t.owner.email, t.owner.password);
  });
  afterAll(async () => { await t?.close(); });

  const plugin = async (id: string) => (await t.api('GET', '/api/v1/plugins', { token })).body.items.find((p: any) => p.id === id);
  const enable = (id: string, enabled: boolean) => t.api('PUT', `/api/v1/plugins/${id}/enabled`, { token, body: { enabled } });

  it('a bad config is a 400 naming the exact path, and the previous config stays in force', async () => {
    expect((await plugin('reminders')).config).toEqual({ channel: 'telegram', reminders: [{ hours: 24 }] });
    const good = { channel: 'sms', reminders: [{ hours: 24 }, { hours: 2 }] };
    expect(await t.api('PUT', '/api/v1/plugins/reminders/config', { token, body: { config: good } })).toMatchObject({ status: 200, body: { config: good } });

    const bad = await t.api('PUT', '/api/v1/plugins/reminders/config', { token, body: { config: { channel: 'pigeon', reminders: [{ hours: 3 }, { hours: 0 }, {}] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BF_ERR_PLUGIN_CONFIG_INVALID');
    expect(bad.body.details.plugin).toBe('reminders');
    expect(bad.body.details.errors.map((e: any) => e.path).sort()).toEqual(['/channel', '/reminders/1/hours', '/reminders/2/hours']);
    expect((await plugin('reminders')).config).toEqual(good);

    const notObject = await t.api('PUT', '/api/v1/plugins/reminders/config', { token, body: { config: 'sms' } });
    expect(notObject.status).toBe(400);
    expect(notObject.body.details.errors[0].path).toBe('/body/config');
    expect((await t.api('PUT', '/api/v1/plugins/nothing/config', { token, body: { config: {} } })).body.code).toBe('BF_ERR_PLUGIN_NOT_FOUND');
  });

  it('a stored config the schema no longer accepts (after a plugin upgrade) can be replaced', async () => {
    await t.app.db.db.updateTable('tenant_plugins').set({ config: JSON.stringify({ channel: 'fax' }) }).where('tenant_id', '=', t.demoTenantId).where('plugin_id', '=', 'reminders').execute();
    // Written behind the app's back, as an upgrade's data would be: the instance's cache of plugin rows is told.
    t.app.host.forget(t.demoTenantId);
    expect((await plugin('reminders')).config).toEqual({ channel: 'fax' });
    const good = { channel: 'telegram', reminders: [{ hours: 3 }] };
    expect(await t.api('PUT', '/api/v1/plugins/reminders/config', { token, body: { config: good } })).toMatchObject({ status: 200, body: { config: good } });
    expect((await plugin('reminders')).config).toEqual(good);
    const [audit] = (await t.api('GET', '/api/v1/audit?entity=plugin_config&entityId=reminders', { token })).body.items;
    expect(audit).toMatchObject({ before: { channel: 'fax' }, after: good });
  });

  it('enables a plugin only after its dependencies, and disables it only before its dependents', async () => {
    expect((await t.api('GET', '/api/v1/addon/ping', { token })).body).toMatchObject({ code: 'BF_ERR_PLUGIN_DISABLED', details: { plugin: 'addon' } });
    expect((await enable('addon', true)).body).toMatchObject({ code: 'BF_ERR_PLUGIN_DISABLED', details: { plugin: 'base' } });
    expect((await plugin('addon')).enabled).toBe(false);

    expect((await enable('base', true)).status).toBe(200);
    expect((await enable('addon', true)).status).toBe(200);
    expect((await t.api('GET', '/api/v1/addon/ping', { token })).body).toEqual({ pong: 'addon' });

    expect(await enable('base', false)).toMatchObject({ status: 409, body: { code: 'BF_ERR_PLUGIN_REQUIRED_BY', details: { plugin: 'base', dependent: 'addon' } } });
    expect((await plugin('base')).enabled).toBe(true);
    expect((await enable('addon', false)).status).toBe(200);
    expect((await enable('base', false)).status).toBe(200);
    expect((await t.api('GET', '/api/v1/base/ping', { token })).status).toBe(404);
  });

  it('another instance on the same database sees a plugin switched on', async () => {
    const other = await startTestApp({ databaseUrl: t.databaseUrl, pluginsDir });
    try {
      expect((await other.api('GET', '/api/v1/base/ping', { token })).body.code).toBe('BF_ERR_PLUGIN_DISABLED');
      expect((await enable('base', true)).status).toBe(200);
      await until('the other instance to see base enabled', async () => (await other.api('GET', '/api/v1/base/ping', { token })).status === 200);
    } finally {
      await other.close();
      await enable('base', false);
    }
  });
});
