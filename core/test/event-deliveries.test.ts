import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxDispatcher } from '../outbox/dispatcher.js';
import { readManifest } from '../plugins/manifest.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { tempPluginsDir, writePlugin } from '../../test/helpers/plugins.js';
import { until } from '../../test/helpers/wait.js';

const NOTE_EVENT = 'example.note-created';
const MAX_ATTEMPTS = 3;

/**
 * Handles the example's note event next to the example's own counter, and sorts before it, so under
 * a per-event loop its failure would have kept the example's handler from ever running.
 * Notes starting with "fail" fail until the test marks them fixed. Every run is counted in
 * globalThis.brokenRuns, outside any transaction, to see whether a pair ever runs twice.
 */
const BROKEN = {
  manifest: {
    enabledByDefault: true,
    events: { 'broken.poked': { description: 'A test event.', payload: { type: 'object', required: ['count'], additionalProperties: false, properties: { count: { type: 'integer' } } } } },
  },
  files: {
    'migrations/0001_broken.ts': `export async function up(db) {
      await db.schema.createTable('broken_applied').addColumn('event_id', 'text', (c) => c.primaryKey()).addColumn('tenant_id', 'uuid', (c) => c.notNull()).execute();
      await db.schema.createTable('broken_fixed').addColumn('note_id', 'uuid', (c) => c.primaryKey()).execute();
    }`,
    'server.ts': `export default {
      routes(app, ctx) {
        app.post('/broken/emit', {
          schema: { body: { type: 'object', required: ['type', 'payload'], properties: { type: { type: 'string' }, payload: { type: 'object' } } } },
          config: { roles: ['owner'] },
        }, async (request, reply) => {
          await ctx.transaction((trx) => ctx.events.emit(trx, request.tenantId, request.body.type, request.body.payload));
          return reply.status(201).send({});
        });
      },
      events: {
        '${NOTE_EVENT}': async (event, trx) => {
          const runs = (globalThis.brokenRuns ??= new Map());
          runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
          await trx.insertInto('broken_applied').values({ event_id: event.id, tenant_id: event.tenantId }).execute();
          const { text } = await trx.selectFrom('example_notes').select('text').where('id', '=', event.payload.noteId).executeTakeFirstOrThrow();
          const fixed = await trx.selectFrom('broken_fixed').select('note_id').where('note_id', '=', event.payload.noteId).executeTakeFirst();
          if (text.startsWith('fail') && !fixed) throw new Error('broken handler failed on purpose (password=hunter2)');
        },
      },
    };`,
  },
};

let plugins: ReturnType<typeof tempPluginsDir>;
let t: TestApp;
let owner: string;
beforeAll(async () => {
  plugins = tempPluginsDir({ copy: ['example'], plugins: { broken: BROKEN } });
  t = await startTestApp({ pluginsDir: plugins.dir, config: { eventMaxAttempts: MAX_ATTEMPTS } });
  owner = await t.login(t.owner.email, t.owner.password);
  expect((await t.api('PUT', '/api/v1/plugins/example/enabled', { token: owner, body: { enabled: true } })).status).toBe(200);
});
afterAll(async () => {
  await t?.close();
  plugins?.remove();
});

const db = () => t.app.db.db;
const runs = () => ((globalThis as { brokenRuns?: Map<string, number> }).brokenRuns ??= new Map());
/** `eventId` as the database gives it (a number); handlers see it as a string. */
async function note(text: string): Promise<{ noteId: string; eventId: number }> {
  const res = await t.api('POST', '/api/v1/example/notes', { token: owner, body: { text } });
  expect(res.status).toBe(201);
  const event = await db().selectFrom('outbox').select('id').where(sql`payload->>'noteId'`, '=', res.body.id).executeTakeFirstOrThrow();
  return { noteId: res.body.id, eventId: event.id };
}
const delivery = (eventId: number, plugin: string) =>
  db().selectFrom('event_deliveries').selectAll().where('event_id', '=', eventId).where('handler', '=', `${plugin}:${NOTE_EVENT}`).executeTakeFirst();
const dispatched = async (eventId: number) => (await db().selectFrom('outbox').select('dispatched_at').where('id', '=', eventId).executeTakeFirstOrThrow()).dispatched_at;
const applied = async (eventId: number) => Boolean(await db().selectFrom('broken_applied').select('event_id').where('event_id', '=', eventId).executeTakeFirst());
/** The failed pair is due at once: the next pass tries it again instead of after its delay. */
async function makeDue(eventId: number) {
  await db().updateTable('event_deliveries').set({ next_attempt_at: sql`now()` }).where('event_id', '=', eventId).where('handler', '=', `broken:${NOTE_EVENT}`).execute();
}
async function tryAgainNow(eventId: number, attempts: number) {
  await makeDue(eventId);
  t.app.dispatcher.kick();
  return until(`attempt ${attempts}`, async () => {
    const d = await delivery(eventId, 'broken');
    return d?.attempts === attempts && d;
  });
}

let failing: { noteId: string; eventId: number };

describe('event deliveries, one per (event, handler)', () => {
  it('a failing handler does not block its neighbour handler of the same event, nor later events', async () => {
    failing = await note('fail: the broken handler throws on this one');
    const later = await note('fine: this one goes through');
    await until('the later event to reach both handlers', () => dispatched(later.eventId));
    expect(await delivery(later.eventId, 'broken')).toMatchObject({ status: 'done', attempts: 1 });
    expect(await applied(later.eventId)).toBe(true);

    const first = await until('the first attempt to fail', async () => {
      const d = await delivery(failing.eventId, 'broken');
      return d?.attempts === 1 && d;
    });
    expect(first).toMatchObject({ status: 'pending', last_error: 'broken handler failed on purpose (password=[redacted])' });
    expect(new Date(first.next_attempt_at).getTime()).toBeGreaterThan(Date.now());
    // The neighbour ran once and is not retried along with the failing handler.
    expect(await delivery(failing.eventId, 'example')).toMatchObject({ status: 'done', attempts: 1, last_error: null });
    expect(await applied(failing.eventId)).toBe(false);
    expect(await dispatched(failing.eventId)).toBeNull();
  });

  it(`after ${MAX_ATTEMPTS} attempts the pair is dead, the event counts as dispatched, and owners see it`, async () => {
    await tryAgainNow(failing.eventId, 2);
    const dead = await tryAgainNow(failing.eventId, 3);
    expect(dead).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });
    expect(dead.finished_at).not.toBeNull();
    expect(await dispatched(failing.eventId)).not.toBeNull();
    // Dead means no more attempts, even when its time would come: a later event goes through, the dead pair stays.
    await makeDue(failing.eventId);
    const later = await note('fine: delivered after the dead one');
    await until('the later event', () => dispatched(later.eventId));
    expect(await delivery(failing.eventId, 'broken')).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });
    expect(runs().get(String(failing.eventId))).toBe(MAX_ATTEMPTS);

    const list = await t.api('GET', '/api/v1/events/dead', { token: owner });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([{
      id: dead.id, eventId: String(failing.eventId), type: NOTE_EVENT, handler: `broken:${NOTE_EVENT}`, attempts: MAX_ATTEMPTS,
      lastError: 'broken handler failed on purpose (password=[redacted])', createdAt: expect.any(String), failedAt: expect.any(String),
    }]);

    const { token: managerToken } = await t.addMember(owner, 'manager@deliveries.test', 'manager');
    expect((await t.api('GET', '/api/v1/events/dead', { token: managerToken })).status).toBe(403);
    expect((await t.api('POST', `/api/v1/events/dead/${dead.id}/retry`, { token: managerToken })).status).toBe(403);
  });

  it('a retry from the API delivers the dead pair again, audited', async () => {
    const dead = (await delivery(failing.eventId, 'broken'))!;
    await db().insertInto('broken_fixed').values({ note_id: failing.noteId }).execute();
    const retry = await t.api('POST', `/api/v1/events/dead/${dead.id}/retry`, { token: owner });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ id: dead.id, status: 'pending' });
    await until('the retried delivery', async () => (await delivery(failing.eventId, 'broken'))?.status === 'done');
    expect(await applied(failing.eventId)).toBe(true);
    expect(await delivery(failing.eventId, 'broken')).toMatchObject({ attempts: 1, last_error: null });
    expect(await delivery(failing.eventId, 'example')).toMatchObject({ status: 'done', attempts: 1 });
    await until('the event to be dispatched again', () => dispatched(failing.eventId));

    const audit = await db().selectFrom('audit_log').selectAll().where('entity', '=', 'event_delivery').where('entity_id', '=', dead.id).execute();
    expect(audit).toMatchObject([{ action: 'retry', actor_id: t.owner.userId, tenant_id: t.demoTenantId, before: { status: 'dead', attempts: MAX_ATTEMPTS }, after: { status: 'pending', attempts: 0 } }]);
    expect((await t.api('GET', '/api/v1/events/dead', { token: owner })).body.items).toEqual([]);
    const again = await t.api('POST', `/api/v1/events/dead/${dead.id}/retry`, { token: owner });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 'BF_ERR_EVENT_DELIVERY_NOT_FOUND', details: { id: dead.id } });
  });

  it('a handler whose plugin is off for the business is skipped, not retried or dead-lettered', async () => {
    expect((await t.api('PUT', '/api/v1/plugins/broken/enabled', { token: owner, body: { enabled: false } })).status).toBe(200);
    const off = await note('fail: but the broken plugin is off');
    await until('the event to be dispatched', () => dispatched(off.eventId));
    // Known off when the event was fanned out: written skipped, never attempted.
    expect(await delivery(off.eventId, 'broken')).toMatchObject({ status: 'skipped', attempts: 0, last_error: null });
    expect(runs().get(String(off.eventId))).toBeUndefined();
    expect((await t.api('PUT', '/api/v1/plugins/broken/enabled', { token: owner, body: { enabled: true } })).status).toBe(200);
  });

  it('two dispatchers on one database run each (event, handler) pair exactly once', async () => {
    const second = new OutboxDispatcher(db(), t.databaseUrl, t.app.host.subscribers(), t.app.log, { maxAttempts: MAX_ATTEMPTS });
    await second.start();
    try {
      // One after another: both dispatchers race for each event as it commits (NOTIFY wakes both).
      const events = [];
      for (let i = 0; i < 30; i++) events.push(await note(`count me ${i}`));
      const ids = events.map((e) => e.eventId);
      await until('every event to be dispatched', async () =>
        !(await db().selectFrom('outbox').select('id').where('id', 'in', ids).where('dispatched_at', 'is', null).executeTakeFirst()), 60_000);
      expect(ids.map((id) => runs().get(String(id)))).toEqual(ids.map(() => 1));
      const pairs = await db().selectFrom('event_deliveries').select(['status', 'attempts']).where('event_id', 'in', ids).execute();
      expect(pairs).toHaveLength(ids.length * 2);
      expect(pairs.every((p) => p.status === 'done' && p.attempts === 1)).toBe(true);
    } finally {
      await second.stop();
    }
  });
});

describe('declared events', () => {
  it('emit refuses an undeclared type and a payload its schema rejects; nothing is written', async () => {
    const emit = (type: string, payload: unknown) => t.api('POST', '/api/v1/broken/emit', { token: owner, body: { type, payload } });
    const bad = await emit('broken.poked', { count: 'three', extra: true });
    expect(bad.status).toBe(500);
    expect(bad.body).toMatchObject({ code: 'BF_ERR_EVENT_PAYLOAD_INVALID', details: { type: 'broken.poked' } });
    expect(bad.body.details.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/count', '/extra']);
    const unknown = await emit('broken.never-declared', {});
    expect(unknown.body).toMatchObject({ code: 'BF_ERR_EVENT_UNKNOWN', details: { type: 'broken.never-declared' } });
    expect(await db().selectFrom('outbox').select('id').where('type', 'in', ['broken.poked', 'broken.never-declared']).execute()).toEqual([]);
    expect((await emit('broken.poked', { count: 3 })).status).toBe(201);
  });

  it('a plugin handling an event nobody declares is refused at load', async () => {
    const dir = tempPluginsDir({ plugins: { deaf: { files: { 'server.ts': "export default { events: { 'nobody.said-this': async () => {} } };" } } } });
    try {
      await expect(startTestApp({ pluginsDir: dir.dir, seedDemo: false, start: false }))
        .rejects.toMatchObject({ code: 'BF_ERR_EVENT_UNDECLARED_HANDLER', details: { plugin: 'deaf', type: 'nobody.said-this' } });
    } finally {
      dir.remove();
    }
  });

  it('a manifest may declare only events under its own id, with payload schemas that compile', () => {
    const errorsOf = (events: Record<string, unknown>) => {
      const dir = tempPluginsDir();
      try {
        readManifest(writePlugin(dir.dir, 'shouty', { manifest: { events } }));
        return [];
      } catch (e) {
        return (e as { code: string; details: { errors: Array<{ path: string }> } }).details.errors.map((x) => x.path);
      } finally {
        dir.remove();
      }
    };
    const payload = { type: 'object' };
    expect(errorsOf({ 'shouty.said': { description: 'Fine.', payload } })).toEqual([]);
    expect(errorsOf({ 'booking.created': { description: 'Not ours.', payload } })).toEqual(['/events/booking.created']);
    expect(errorsOf({ 'shouty.said': { description: 'Bad schema.', payload: { type: 'object', properties: { a: { type: 'nonsense' } } } } })).toEqual(['/events/shouty.said/payload']);
    expect(errorsOf({ 'shouty.said': { description: 'No payload.' } })).toEqual(['/events/shouty.said/payload']);
    expect(fs.existsSync(path.join(plugins.dir, 'shouty'))).toBe(false);
  });
});
