/**
 * ctx.record: a change's own rows, its audit entry and its events in one statement on the caller's transaction —
 * all committed with it, the events announced by NOTIFY at commit, nothing written when an event is refused.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { OUTBOX_CHANNEL } from '../outbox/emit.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp({ plugins: ['example'], seedDemo: false }); }, 120_000);
afterAll(async () => { await t?.close(); });

describe('ctx.record', () => {
  it('writes the rows, the audit entry and the events together, and announces each event at commit', async () => {
    const ctx = t.app.host.get('example').ctx;
    const listener = new pg.Client({ connectionString: t.databaseUrl });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    try {
      const { id: tenantId } = await ctx.db.insertInto('tenants').values({ slug: 'record-test', name: 'Record test', timezone: 'Europe/Moscow' }).returning('id').executeTakeFirstOrThrow();
      const noteIds = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2'];
      const ids = await ctx.transaction((trx) => ctx.record(trx, {
        audit: { tenantId, actorId: null, entity: 'example_note', entityId: noteIds[0], action: 'create', after: { text: 'one', api_token: 'never in the log' } },
        events: noteIds.map((noteId) => ({ type: 'example.note-created', payload: { noteId } })),
        rows: noteIds.map((id, i) => trx.insertInto('example_notes').values({ tenant_id: tenantId, id, text: `note ${i}` })),
      }));
      expect(ids).toHaveLength(2);
      const events = await ctx.db.selectFrom('outbox').select(['id', 'payload']).where('tenant_id', '=', tenantId).orderBy('id').execute();
      expect(events.map((e) => [String(e.id), e.payload])).toEqual(noteIds.map((noteId, i) => [ids[i], { noteId }]));
      expect(await ctx.db.selectFrom('example_notes').select('text').where('tenant_id', '=', tenantId).orderBy('text').execute()).toEqual([{ text: 'note 0' }, { text: 'note 1' }]);
      const audit = await ctx.db.selectFrom('audit_log').select(['entity_id', 'action', 'after']).where('tenant_id', '=', tenantId).execute();
      expect(audit).toEqual([{ entity_id: noteIds[0], action: 'create', after: { text: 'one' } }]);
      await expect.poll(() => heard.filter((h) => ids.includes(h)).sort()).toEqual([...ids].sort());

      // An undeclared event fails the statement: neither the rows nor the audit entry are written.
      await expect(ctx.transaction((trx) => ctx.record(trx, {
        audit: { tenantId, actorId: null, entity: 'example_note', entityId: noteIds[0], action: 'delete' },
        events: [{ type: 'example.never-declared', payload: {} }],
        rows: [trx.insertInto('example_notes').values({ tenant_id: tenantId, text: 'lost' })],
      }))).rejects.toMatchObject({ code: 'BF_ERR_EVENT_UNKNOWN' });
      expect(await ctx.db.selectFrom('example_notes').select('text').where('tenant_id', '=', tenantId).where('text', '=', 'lost').execute()).toEqual([]);
      expect(await ctx.db.selectFrom('audit_log').select('action').where('tenant_id', '=', tenantId).execute()).toEqual([{ action: 'create' }]);

      // Without events: the rows and the audit entry.
      expect(await ctx.transaction((trx) => ctx.record(trx, { audit: { tenantId, actorId: null, entity: 'example_note', entityId: noteIds[1], action: 'delete' } }))).toEqual([]);
      expect(await ctx.db.selectFrom('audit_log').select('action').where('tenant_id', '=', tenantId).orderBy('action').execute()).toEqual([{ action: 'create' }, { action: 'delete' }]);
    } finally {
      await listener.end();
    }
  });
});
