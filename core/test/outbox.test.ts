import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { tempPluginsDir } from '../../test/helpers/plugins.js';
import { until } from '../../test/helpers/wait.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * Subscribes to the example plugin's event next to the example's own counter.
 * Its writes run on the handler's transaction, so a failed attempt leaves nothing.
 * Notes whose text starts with "fail-once" fail the first attempt, "fail-always" every one.
 */
const FLAKY = {
  manifest: { enabledByDefault: true },
  files: {
    'migrations/0001_applied.ts': `export async function up(db) {
      await db.schema.createTable('flaky_applied').addColumn('event_id', 'text', (c) => c.primaryKey()).addColumn('tenant_id', 'uuid', (c) => c.notNull()).execute();
    }`,
    'server.ts': `const failed = new Set();
    export default {
      events: {
        'example.note-created': async (event, trx) => {
          await trx.insertInto('flaky_applied').values({ event_id: event.id, tenant_id: event.tenantId }).execute();
          const { text } = await trx.selectFrom('example_notes').select('text').where('id', '=', event.payload.noteId).executeTakeFirstOrThrow();
          if (text.startsWith('fail-always') || (text.startsWith('fail-once') && !failed.has(event.id))) {
            failed.add(event.id);
            throw new Error('flaky handler failed on purpose');
          }
        },
      },
    };`,
  },
};

let plugins: ReturnType<typeof tempPluginsDir>;
let t: TestApp;
let seeded: Pick<TestApp, 'databaseUrl' | 'owner'>;
let token: string;
beforeAll(async () => {
  plugins = tempPluginsDir({ copy: ['example'], plugins: { flaky: FLAKY } });
  // Seed the business and enable the example plugin, then stop: the crash test starts from a closed app.
  const setup = await startTestApp({ pluginsDir: plugins.dir });
  const owner = await setup.login(setup.owner.email, setup.owner.password);
  expect((await setup.api('PUT', '/api/v1/plugins/example/enabled', { token: owner, body: { enabled: true } })).status).toBe(200);
  await setup.close();
  seeded = setup;
});
afterAll(async () => {
  await t?.close();
  plugins?.remove();
});

const outboxRow = (noteId: string) =>
  t.app.db.db.selectFrom('outbox').selectAll().where(sql`payload->>'noteId'`, '=', noteId).executeTakeFirstOrThrow();
const createdCount = async () =>
  (await t.app.db.db.selectFrom('example_counters').select('value').where('tenant_id', '=', t.demoTenantId).where('kind', '=', 'created').executeTakeFirst())?.value ?? 0;
const delivery = (eventId: string, plugin: string) =>
  t.app.db.db.selectFrom('event_deliveries').selectAll().where('event_id', '=', eventId).where('handler', '=', `${plugin}:example.note-created`).executeTakeFirst();
const applied = async (eventId: string) =>
  (await t.app.db.db.selectFrom('flaky_applied').select('event_id').where('event_id', '=', eventId).execute()).length;

function crashAfterCommit(text: string): Promise<{ signal: string | null; result: any }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'crash-after-commit.ts')], {
      cwd: ROOT,
      env: { ...process.env, CRASH_DATABASE_URL: seeded.databaseUrl, CRASH_PLUGINS_DIR: plugins.dir, CRASH_EMAIL: seeded.owner.email, CRASH_PASSWORD: seeded.owner.password, CRASH_TEXT: text },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      try {
        resolve({ signal, result: JSON.parse(out) });
      } catch {
        reject(new Error(`child failed: ${err || out}`));
      }
    });
  });
}

describe('outbox', () => {
  it('a crash between commit and dispatch loses nothing; the event is applied exactly once after restart', async () => {
    const { signal, result } = await crashAfterCommit('written just before the crash');
    expect(signal).toBe('SIGKILL');
    expect(result.status).toBe(201);
    const noteId = result.body.id;

    t = await startTestApp({ databaseUrl: seeded.databaseUrl, pluginsDir: plugins.dir, start: false });
    const pending = await outboxRow(noteId);
    expect(pending).toMatchObject({ type: 'example.note-created', dispatched_at: null, fanned_out_at: null });
    expect(await createdCount()).toBe(0);

    await t.app.start();
    await until('the event to be dispatched', async () => (await outboxRow(noteId)).dispatched_at);
    expect(await createdCount()).toBe(1);
    expect(await applied(pending.id)).toBe(1);
    const marks = await t.app.db.db.selectFrom('event_deliveries').select(['handler', 'status', 'attempts']).where('event_id', '=', pending.id).orderBy('handler').execute();
    expect(marks).toEqual([{ handler: 'example:example.note-created', status: 'done', attempts: 1 }, { handler: 'flaky:example.note-created', status: 'done', attempts: 1 }]);

    // The event comes again as if never fanned out (a crash before that commit): handlers that applied it are skipped.
    await t.app.db.db.updateTable('outbox').set({ dispatched_at: null, fanned_out_at: null }).where('id', '=', pending.id).execute();
    t.app.dispatcher.kick();
    await until('the redelivery', async () => (await outboxRow(noteId)).dispatched_at);
    expect(await createdCount()).toBe(1);
    expect(await applied(pending.id)).toBe(1);
  });

  it('a handler that fails once is retried and applied once; the others are not run again', async () => {
    token = await t.login(t.owner.email, t.owner.password);
    const before = await createdCount();
    const note = (await t.api('POST', '/api/v1/example/notes', { token, body: { text: 'fail-once please' } })).body;
    const event = await outboxRow(note.id);
    const failed = await until('the first attempt to fail', async () => {
      const row = await delivery(event.id, 'flaky');
      return row?.attempts === 1 && row;
    });
    expect(failed).toMatchObject({ status: 'pending', last_error: 'flaky handler failed on purpose' });
    expect((await outboxRow(note.id)).dispatched_at).toBeNull();
    expect(await applied(event.id)).toBe(0);
    expect(await createdCount()).toBe(before + 1);

    await until('the retry', async () => (await outboxRow(note.id)).dispatched_at);
    expect(await delivery(event.id, 'flaky')).toMatchObject({ status: 'done', attempts: 2, last_error: null });
    expect(await delivery(event.id, 'example')).toMatchObject({ status: 'done', attempts: 1 });
    expect(await applied(event.id)).toBe(1);
    expect(await createdCount()).toBe(before + 1);
  });

  it('a failing handler is retried with a growing delay', async () => {
    const note = (await t.api('POST', '/api/v1/example/notes', { token, body: { text: 'fail-always, sorry' } })).body;
    const event = await outboxRow(note.id);
    const delayAfter = async (attempts: number) => {
      await until(`attempt ${attempts} to fail`, async () => (await delivery(event.id, 'flaky'))?.attempts === attempts);
      const { rows } = await sql<{ ms: number }>`SELECT extract(epoch FROM next_attempt_at - now()) * 1000 AS ms FROM event_deliveries WHERE event_id = ${event.id} AND handler = 'flaky:example.note-created'`.execute(t.app.db.db);
      return rows[0].ms;
    };
    const first = await delayAfter(1);
    expect(first).toBeGreaterThan(0);
    // Due now: the next pass takes it at once instead of after the delay.
    await t.app.db.db.updateTable('event_deliveries').set({ next_attempt_at: sql`now()` }).where('event_id', '=', event.id).where('handler', '=', 'flaky:example.note-created').execute();
    t.app.dispatcher.kick();
    const second = await delayAfter(2);
    expect(second).toBeGreaterThan(first);
    expect((await outboxRow(note.id)).dispatched_at).toBeNull();
    expect(await applied(event.id)).toBe(0);
  });
});
