/**
 * The example plugin through the real app: its routes, config, event handler,
 * job and flow node. `npm run new-plugin` copies this test with the new id.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeRunInput } from '../../../plugin-sdk.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { until } from '../../../test/helpers/wait.js';

const PLUGIN = 'example';
const NOTES = `/api/v1/${PLUGIN}/notes`;
let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  token = await t.login(t.owner.email, t.owner.password);
});
afterAll(async () => { await t?.close(); });

const api = (method: string, url: string, body?: unknown) => t.api(method, url, { token, body });
const setEnabled = (enabled: boolean) => api('PUT', `/api/v1/plugins/${PLUGIN}/enabled`, { enabled });
const counter = async () =>
  (await sql<{ value: number }>`SELECT value FROM ${sql.table(`${PLUGIN.replace(/-/g, '_')}_counters`)} WHERE tenant_id = ${t.demoTenantId} AND kind = 'created'`.execute(t.app.db.db)).rows[0]?.value ?? 0;

describe(`${PLUGIN} plugin`, () => {
  it('is off until the business enables it', async () => {
    expect((await api('GET', NOTES)).body).toMatchObject({ code: 'BF_ERR_PLUGIN_DISABLED', details: { plugin: PLUGIN } });
    expect((await setEnabled(true)).status).toBe(200);
    const listed = (await api('GET', '/api/v1/plugins')).body.items.find((p: any) => p.id === PLUGIN);
    expect(listed).toMatchObject({ enabled: true, config: { greeting: 'Hello', maxNotes: 100 }, nodeTypes: [`${PLUGIN}.save-note`] });
  });

  it('creates, lists and soft-deletes notes', async () => {
    const created = await api('POST', NOTES, { text: 'Call the supplier' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), text: 'Call the supplier' });
    expect((await api('GET', NOTES)).body.items.map((n: any) => n.text)).toContain('Call the supplier');

    expect((await api('DELETE', `${NOTES}/${created.body.id}`)).status).toBe(204);
    expect((await api('GET', NOTES)).body.items.map((n: any) => n.id)).not.toContain(created.body.id);
    expect((await api('DELETE', `${NOTES}/${created.body.id}`)).body.code).toBe(`BF_ERR_${PLUGIN.replace(/-/g, '').toUpperCase()}_NOTE_NOT_FOUND`);
  });

  it('names the bad field', async () => {
    const res = await api('POST', NOTES, { text: '', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.details.errors.map((e: any) => e.path).sort()).toEqual(['/body/colour', '/body/text']);
    expect((await api('DELETE', `${NOTES}/not-a-uuid`)).body.details.errors[0].path).toBe('/params/id');
  });

  it('follows its config: maxNotes caps the notes; a bad config is refused', async () => {
    const bad = await api('PUT', `/api/v1/plugins/${PLUGIN}/config`, { config: { maxNotes: 0 } });
    expect(bad).toMatchObject({ status: 400, body: { code: 'BF_ERR_PLUGIN_CONFIG_INVALID', details: { errors: [{ path: '/maxNotes' }] } } });

    const count = (await api('GET', NOTES)).body.items.length;
    expect((await api('PUT', `/api/v1/plugins/${PLUGIN}/config`, { config: { maxNotes: count + 1 } })).status).toBe(200);
    expect((await api('POST', NOTES, { text: 'the last one that fits' })).status).toBe(201);
    const refused = await api('POST', NOTES, { text: 'one too many' });
    expect(refused).toMatchObject({ status: 409, body: { code: `BF_ERR_${PLUGIN.replace(/-/g, '').toUpperCase()}_TOO_MANY_NOTES`, details: { max: count + 1 } } });
    expect((await api('PUT', `/api/v1/plugins/${PLUGIN}/config`, { config: {} })).status).toBe(200);
  });

  it('counts created notes in its event handler, once per note', async () => {
    const before = await counter();
    for (const text of ['one', 'two']) expect((await api('POST', NOTES, { text })).status).toBe(201);
    await until('the handler to count both notes', async () => (await counter()) === before + 2);
  });

  it('purges notes deleted over 30 days ago in its job', async () => {
    const table = sql.table(`${PLUGIN.replace(/-/g, '_')}_notes`);
    const { rows } = await sql<{ id: string }>`INSERT INTO ${table} (tenant_id, text, deleted_at) VALUES (${t.demoTenantId}, 'ancient', now() - interval '40 days') RETURNING id`.execute(t.app.db.db);
    await t.app.host.get(PLUGIN).ctx.jobs.now('purge-deleted', { tenantId: t.demoTenantId });
    await until('the job to purge the old note', async () => (await sql`SELECT 1 FROM ${table} WHERE id = ${rows[0].id}`.execute(t.app.db.db)).rows.length === 0);
  });

  it('saves a note from a flow node and answers in the client’s language', async () => {
    const node = t.app.host.nodeRuntimes().get(`${PLUGIN}.save-note`)!;
    expect(node.pluginId).toBe(PLUGIN);
    const input: NodeRunInput = {
      tenantId: t.demoTenantId, settings: { text: 'Call {{name}} back' }, vars: { name: 'Anna' }, locale: 'en',
      client: { id: 'client-1', channel: 'telegram' }, flowId: 'flow-1', nodeId: 'node-1',
    };
    expect(await node.runtime(input, node.ctx)).toEqual({ messages: [{ text: 'Note saved: Call Anna back' }], next: 'next' });
    expect((await node.runtime({ ...input, locale: 'ru' }, node.ctx)).messages![0].text).toBe('Заметка сохранена: Call Anna back');
    expect((await api('GET', NOTES)).body.items.map((n: any) => n.text)).toContain('Call Anna back');
  });
});
