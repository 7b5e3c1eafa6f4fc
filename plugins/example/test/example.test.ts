/**
 * The example plugin through the real app: its routes, config, event handler,
 * job and flow node. `npm run new-plugin` copies this test with the new id.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/helpers/app.js';
import { startNodeTurnKit, type NodeTurnKit } from '../../../test/helpers/node-turn.js';
import { until } from '../../../test/helpers/wait.js';
import { makeContact } from '../../../test/helpers/contacts.js';

const PLUGIN = 'example';
const NOTES = `/api/v1/${PLUGIN}/notes`;
let kit: NodeTurnKit;
let t: TestApp;
let token: string;

beforeAll(async () => {
  // Only this plugin and what it depends on; left off, as a business finds it.
  kit = await startNodeTurnKit({ plugins: [PLUGIN], enable: false });
  t = kit.t;
  token = kit.token;
});
afterAll(async () => { await kit?.close(); });

const api = (method: string, url: string, body?: unknown) => t.api(method, url, { token, body });
const setEnabled = (enabled: boolean) => api('PUT', `/api/v1/plugins/${PLUGIN}/enabled`, { enabled });
const counter = async () =>
  (await sql<{ value: number }>`SELECT value FROM ${sql.table(`${PLUGIN.replace(/-/g, '_')}_counters`)} WHERE tenant_id = ${t.demoTenantId} AND kind = 'created'`.execute(t.app.db.db)).rows[0]?.value ?? 0;

describe(`${PLUGIN} plugin`, () => {
  it('is off until the business enables it', async () => {
    expect((await api('GET', NOTES)).body).toMatchObject({ code: 'BF_ERR_PLUGIN_DISABLED', details: { plugin: PLUGIN } });
    expect((await setEnabled(true)).status).toBe(200);
    const listed = (await api('GET', '/api/v1/plugins')).body.items.find((p: any) => p.id === PLUGIN);
    expect(listed).toMatchObject({ enabled: true, config: { greeting: 'Hello', maxNotes: 100 } });
    expect(listed.nodeTypes).toContain(`${PLUGIN}.save-note`);
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
    // The earlier tests' notes may still be on their way to the handler: counted first, they would not pass for these two.
    const db = t.app.db.db;
    await until('earlier notes to be counted', async () => !(await db.selectFrom('outbox').select('id').where('fanned_out_at', 'is', null).executeTakeFirst())
      && !(await db.selectFrom('event_deliveries').select('id').where('status', '=', 'pending').executeTakeFirst()));
    const before = await counter();
    for (const text of ['one', 'two']) expect((await api('POST', NOTES, { text })).status).toBe(201);
    await until('the handler to count both notes', async () => (await counter()) === before + 2);
  });

  it('purges notes deleted over 30 days ago in its job', async () => {
    const table = sql.table(`${PLUGIN.replace(/-/g, '_')}_notes`);
    const { rows } = await sql<{ id: string }>`INSERT INTO ${table} (tenant_id, text, deleted_at) VALUES (${t.demoTenantId}, 'ancient', ${new Date(t.clock.nowMs() - 40 * 86_400_000)}) RETURNING id`.execute(t.app.db.db);
    await t.app.host.get(PLUGIN).ctx.jobs.now('purge-deleted', {}, { tenantId: t.demoTenantId });
    await until('the job to purge the old note', async () => (await sql`SELECT 1 FROM ${table} WHERE id = ${rows[0].id}`.execute(t.app.db.db)).rows.length === 0);
  });

  it('keeps its x-secret apiKey encrypted and write-only; only its server code reads it', async () => {
    const CONFIG = `/api/v1/plugins/${PLUGIN}/config`;
    const KEY = 'sk-live-0123456789';
    const saved = await api('PUT', CONFIG, { config: { greeting: 'Hi', apiKey: KEY } });
    expect(saved).toMatchObject({ status: 200, body: { config: { greeting: 'Hi', apiKey: { set: true } } } });
    const listed = () => api('GET', '/api/v1/plugins').then((r) => r.body.items.find((p: any) => p.id === PLUGIN).config);
    expect(await listed()).toMatchObject({ greeting: 'Hi', apiKey: { set: true } });
    expect(JSON.stringify((await api('GET', '/api/v1/plugins')).body)).not.toContain(KEY);

    // At rest it is sealed (AES-GCM), in the audit log it is only "set".
    const row = await t.app.db.db.selectFrom('tenant_plugins').select('config').where('tenant_id', '=', t.demoTenantId).where('plugin_id', '=', PLUGIN).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.config)).not.toContain(KEY);
    expect(row.config.apiKey).toEqual({ $sealed: expect.stringMatching(/^v1:/) });
    const audit = await t.app.db.db.selectFrom('audit_log').select(['before', 'after']).where('tenant_id', '=', t.demoTenantId).where('entity', '=', 'plugin_config').orderBy('id').execute();
    expect(JSON.stringify(audit)).not.toContain(KEY);
    expect(audit.at(-1)!.after).toMatchObject({ apiKey: { set: true } });

    const ctx = t.app.host.get(PLUGIN).ctx;
    expect(await ctx.config(t.demoTenantId)).toMatchObject({ greeting: 'Hi', apiKey: KEY });
    // Left out, or sent back as the {set} the API showed, it stays; a bad one is refused on its plaintext.
    expect((await api('PUT', CONFIG, { config: { greeting: 'Hey' } })).body.config.apiKey).toEqual({ set: true });
    const kept = await t.app.db.db.selectFrom('audit_log').select(['before', 'after']).where('tenant_id', '=', t.demoTenantId).where('entity', '=', 'plugin_config').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ before: { apiKey: { set: true } }, after: { apiKey: { set: true } } });
    expect((await api('PUT', CONFIG, { config: { ...(await listed()), maxNotes: 50 } })).status).toBe(200);
    expect(await ctx.config(t.demoTenantId)).toMatchObject({ greeting: 'Hey', maxNotes: 50, apiKey: KEY });
    const bad = await api('PUT', CONFIG, { config: { apiKey: 'short' } });
    expect(bad).toMatchObject({ status: 400, body: { details: { errors: [{ path: '/apiKey' }] } } });
    expect(JSON.stringify(bad.body)).not.toContain('short');
    expect((await ctx.config(t.demoTenantId)).apiKey).toBe(KEY);
    // null clears it.
    expect((await api('PUT', CONFIG, { config: { apiKey: null } })).body.config.apiKey).toEqual({ set: false });
    expect(await ctx.config(t.demoTenantId)).not.toHaveProperty('apiKey');
    expect((await api('PUT', CONFIG, { config: {} })).status).toBe(200);
  });

  describe('a keyed job: the note reminder', () => {
    const jobOf = (noteId: string, tenantId = t.demoTenantId) =>
      t.app.db.db.selectFrom('plugin_jobs').select(['id', 'run_at', 'status', 'data']).where('tenant_id', '=', tenantId).where('plugin_id', '=', PLUGIN).where('key', '=', `reminder:${noteId}`).execute();
    const remindedAt = async (noteId: string) =>
      (await t.app.db.db.selectFrom(`${PLUGIN.replace(/-/g, '_')}_notes`).select('reminded_at').where('id', '=', noteId).executeTakeFirstOrThrow()).reminded_at as Date | null;
    const note = async (text: string, opts: { token?: string; tenant?: string } = {}) => (await t.api('POST', NOTES, { token, ...opts, body: { text } })).body.id as string;
    const later = (ms: number) => new Date(t.clock.nowMs() + ms).toISOString();

    it('set again, it replaces the job; when due it runs once', async () => {
      const id = await note('remind me');
      expect((await api('PUT', `${NOTES}/${id}/reminder`, { at: later(3600_000) })).status).toBe(200);
      const [first] = await jobOf(id);
      const soon = later(-1000);
      expect((await api('PUT', `${NOTES}/${id}/reminder`, { at: soon })).status).toBe(200);
      const jobs = await jobOf(id);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ id: first.id, run_at: new Date(soon) });
      await until('the reminder to run', async () => (await jobOf(id))[0].status === 'done');
      expect(await remindedAt(id)).toBeInstanceOf(Date);
    });

    it('a day ahead, it runs once the app\'s clock gets there: no waiting', async () => {
      const id = await note('tomorrow');
      expect((await api('PUT', `${NOTES}/${id}/reminder`, { at: later(24 * 3600_000) })).status).toBe(200);
      const reminderAt = Date.parse(later(24 * 3600_000));
      // Back afterwards: a day on, the owner's sign-in has run out.
      t.clock.advance(24 * 3600_000);
      try {
        await until('the reminder to run', async () => (await jobOf(id))[0].status === 'done');
      } finally {
        t.clock.advance(-24 * 3600_000);
      }
      expect((await remindedAt(id))!.getTime()).toBeGreaterThanOrEqual(reminderAt - 60_000);
    });

    it('cancelled by key, it is gone', async () => {
      const id = await note('never mind');
      await api('PUT', `${NOTES}/${id}/reminder`, { at: later(3600_000) });
      expect(await jobOf(id)).toHaveLength(1);
      expect((await api('DELETE', `${NOTES}/${id}/reminder`)).status).toBe(204);
      expect(await jobOf(id)).toEqual([]);
      expect(await t.app.host.get(PLUGIN).ctx.jobs.cancel({ tenantId: t.demoTenantId, key: `reminder:${id}` })).toBe(0);
    });

    it('scheduled in a transaction that rolls back, it never exists', async () => {
      const ctx = t.app.host.get(PLUGIN).ctx;
      const [lost, kept] = [await note('rolled back'), await note('committed')];
      await expect(ctx.transaction(async (trx) => {
        await ctx.jobs.schedule(new Date(t.clock.nowMs() - 2000), 'remind', { noteId: lost }, { tenantId: t.demoTenantId, key: `reminder:${lost}`, trx });
        throw new Error('the business change failed');
      })).rejects.toThrow('the business change failed');
      await t.app.db.db.updateTable(`${PLUGIN.replace(/-/g, '_')}_notes`).set({ remind_at: t.clock.now() }).where('id', 'in', [lost, kept]).execute();
      await ctx.jobs.now('remind', { noteId: kept }, { tenantId: t.demoTenantId, key: `reminder:${kept}` });
      // The later job ran, so a pass went by after the rolled-back one would have been due.
      await until('the committed reminder to run', async () => (await jobOf(kept))[0].status === 'done');
      expect(await jobOf(lost)).toEqual([]);
      expect(await remindedAt(lost)).toBeNull();
    });

    it('while the plugin is disabled for the business its due jobs wait, and run once it is enabled again', async () => {
      // A second business keeps the plugin on: its later job running proves the runner went past ours.
      expect((await api('POST', '/api/v1/tenants', { slug: 'reminders', name: 'Reminders', timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' })).status).toBe(201);
      const other = (await t.app.db.db.selectFrom('tenants').select('id').where('slug', '=', 'reminders').executeTakeFirstOrThrow()).id as string;
      expect((await t.api('PUT', `/api/v1/plugins/${PLUGIN}/enabled`, { token, tenant: 'reminders', body: { enabled: true } })).status).toBe(200);
      const otherNote = await note('elsewhere', { tenant: 'reminders' });

      const id = await note('wait for me');
      await api('PUT', `${NOTES}/${id}/reminder`, { at: later(3600_000) });
      expect((await setEnabled(false)).status).toBe(200);
      // Due while disabled (the plugin's server code may still schedule).
      await t.app.host.get(PLUGIN).ctx.jobs.schedule(new Date(t.clock.nowMs() - 60_000), 'remind', { noteId: id }, { tenantId: t.demoTenantId, key: `reminder:${id}` });
      expect((await t.api('PUT', `${NOTES}/${otherNote}/reminder`, { token, tenant: 'reminders', body: { at: later(-1000) } })).status).toBe(200);
      await until('the other business’s reminder to run', async () => (await jobOf(otherNote, other))[0].status === 'done');
      expect((await jobOf(id))[0].status).toBe('scheduled');
      expect(await remindedAt(id)).toBeNull();

      expect((await setEnabled(true)).status).toBe(200);
      await until('the waiting reminder to run', async () => (await jobOf(id))[0].status === 'done');
      expect(await remindedAt(id)).toBeInstanceOf(Date);
    });
  });

  it('saves a note from a flow node (run outside the turn) and answers in the client’s language', async () => {
    const node = { nodeType: `${PLUGIN}.save-note`, settings: { text: 'Call {{name}} back' }, vars: { name: 'Anna' } };
    const en = await kit.runNodeTurn(node);
    expect(en.messages.map((m) => m.text)).toEqual(['Note saved: Call Anna back']);
    expect(en.port).toBe('next');
    expect((await kit.runNodeTurn({ ...node, language: 'ru' })).messages.map((m) => m.text)).toEqual(['Заметка сохранена: Call Anna back']);
    expect((await api('GET', NOTES)).body.items.map((n: any) => n.text)).toContain('Call Anna back');
  });

  it('counts notes inside the turn, through its transaction', async () => {
    const { count } = await t.app.db.db.selectFrom(`${PLUGIN.replace(/-/g, '_')}_notes`).select((eb) => eb.fn.countAll<number>().as('count'))
      .where('tenant_id', '=', t.demoTenantId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    const turn = await kit.runNodeTurn({ nodeType: `${PLUGIN}.count-notes` });
    expect(turn).toMatchObject({ port: Number(count) > 0 ? 'some' : 'none', vars: { noteCount: Number(count) }, messages: [] });
  });
});

describe(`${PLUGIN}: a button on a proactive message runs the plugin's action`, () => {
  /** A website chat of the demo business and a contact reachable in it (the contacts service is built alongside). */
  async function chatContact() {
    const chat = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'en' } });
    expect(chat.status).toBe(201);
    const contact = await makeContact(t.app.db.db, t.demoTenantId, { name: 'Ann', locale: 'en', identities: [{ kind: 'webchat', value: chat.body.sessionId }] });
    return { sessionId: chat.body.sessionId as string, contactId: contact.id };
  }
  const pushed = (sessionId: string) => until('the message in the chat', async () => {
    const rows = await t.app.db.db.selectFrom('webchat_messages').select('message').where('session_id', '=', sessionId).where('pushed', '=', true).orderBy('seq').execute();
    return rows.length > 0 && rows.map((r) => r.message);
  });
  const write = (sessionId: string, body: Record<string, unknown>) => t.api('POST', `/api/v1/public/demo/webchat/sessions/${sessionId}/messages`, { body });

  it('pressed an hour later, after other dialog, acknowledges the note', async () => {
    expect((await setEnabled(true)).status).toBe(200);
    const note = (await api('POST', NOTES, { text: 'Bring your own towel' })).body;
    const { sessionId, contactId } = await chatContact();
    const sent = await api('POST', `${NOTES}/${note.id}/send`, { contactId });
    expect(sent.status).toBe(202);
    const [message] = await pushed(sessionId);
    expect(message.text).toBe('Note from the salon: Bring your own towel');
    expect(message.buttons[0][0]).toMatchObject({ label: 'Got it', callback: expect.stringMatching(/^m[A-Za-z0-9_-]{16}$/) });
    // Sending again is idempotent per note and contact: the same message, not a second one.
    expect((await api('POST', `${NOTES}/${note.id}/send`, { contactId })).body.id).toBe(sent.body.id);

    const sentAt = t.clock.nowMs();
    t.clock.advance(3_600_000);
    try {
      expect((await write(sessionId, { text: 'hello' })).status).toBe(200);
      const pressed = await write(sessionId, { callback: message.buttons[0][0].callback });
      expect(pressed.body).toEqual({ messages: [{ text: 'Thanks, noted: Bring your own towel' }] });
      const row = await t.app.db.db.selectFrom('example_notes').select('acknowledged_at').where('id', '=', note.id).executeTakeFirstOrThrow();
      // stamped by the app's clock, an hour after the message went out
      expect(new Date(row.acknowledged_at).getTime() - sentAt).toBeGreaterThanOrEqual(3_600_000);
    } finally {
      t.clock.advance(-3_600_000);
    }
  });

  it('decides itself when it is stale: a deleted note answers so', async () => {
    const note = (await api('POST', NOTES, { text: 'Soon gone' })).body;
    const { sessionId, contactId } = await chatContact();
    await api('POST', `${NOTES}/${note.id}/send`, { contactId });
    const [message] = await pushed(sessionId);
    expect((await api('DELETE', `${NOTES}/${note.id}`)).status).toBe(204);
    expect((await write(sessionId, { callback: message.buttons[0][0].callback })).body).toEqual({ messages: [{ text: 'This note is no longer there.' }] });
  });
});
