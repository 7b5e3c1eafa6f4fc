import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { until } from '../../test/helpers/wait.js';

let t: TestApp;
let owner: string;
const tokens: Record<'admin' | 'manager' | 'specialist', string> = { admin: '', manager: '', specialist: '' };

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login(t.owner.email, t.owner.password);
  for (const role of ['admin', 'manager', 'specialist'] as const) tokens[role] = (await t.addMember(owner, `${role}@plugin-config.test`, role)).token;
  expect((await t.api('PUT', '/api/v1/plugins/example/config', { token: owner, body: { config: { greeting: 'Secret-ish', maxNotes: 7 } } })).status).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe('plugin configs', () => {
  it('are read only by the roles that may change them; the others see the plugins without', async () => {
    for (const role of ['admin', 'manager', 'specialist'] as const) {
      const res = await t.api('GET', '/api/v1/plugins', { token: tokens[role] });
      expect(res.status, role).toBe(200);
      const example = res.body.items.find((p: { id: string }) => p.id === 'example');
      expect(example, role).toMatchObject({ id: 'example', configSchema: expect.any(Object) });
      if (role === 'admin') expect(example.config).toMatchObject({ greeting: 'Secret-ish', maxNotes: 7 });
      else expect(example, role).not.toHaveProperty('config');
    }
  });

  it('concurrent first saves each audit the config they replaced', async () => {
    const tenant = await t.api('POST', '/api/v1/tenants', { token: owner, body: { slug: 'racing-saves', name: 'Racing saves', timezone: 'Europe/Moscow', locale: 'en', currency: 'EUR' } });
    expect(tenant.status).toBe(201);
    // Hold an uncommitted row for the pair, so both saves are in flight at once before either writes.
    const blocker = new pg.Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`INSERT INTO tenant_plugins (tenant_id, plugin_id, enabled, config) VALUES ($1, 'example', false, '{}')`, [tenant.body.id]);
      const configs = [{ greeting: 'First', maxNotes: 1 }, { greeting: 'Second', maxNotes: 2 }];
      const saves = configs.map((config) => t.api('PUT', '/api/v1/plugins/example/config', { token: owner, tenant: 'racing-saves', body: { config } }));
      await until('both saves to wait on the row', async () =>
        (await blocker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n >= 2);
      await blocker.query('ROLLBACK');
      expect((await Promise.all(saves)).map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await blocker.end();
    }

    const rows = await t.app.db.db.selectFrom('audit_log').select(['before', 'after']).where('tenant_id', '=', tenant.body.id).where('entity', '=', 'plugin_config').orderBy('id').execute();
    const stored = await t.app.db.db.selectFrom('tenant_plugins').select('config').where('tenant_id', '=', tenant.body.id).where('plugin_id', '=', 'example').executeTakeFirstOrThrow();
    // The saves ran one after the other: the first replaced the defaults, the second what the first stored.
    expect(rows).toHaveLength(2);
    expect(rows[0].before).toMatchObject({ greeting: 'Hello', maxNotes: 100 });
    expect(rows[1].before).toEqual(rows[0].after);
    expect(stored.config).toMatchObject({ greeting: (rows[1].after as any).greeting, maxNotes: (rows[1].after as any).maxNotes });
    expect(rows.map((r) => (r.after as any).greeting).sort()).toEqual(['First', 'Second']);
  });
});
