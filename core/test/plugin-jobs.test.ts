import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { tempPluginsDir } from '../../test/helpers/plugins.js';
import { until } from '../../test/helpers/wait.js';
import { PluginJobRunner } from '../jobs/plugin-jobs.js';

// Each run leaves a row; `fail-once` fails the first run of a key, `always-fails` every run.
const SERVER = `
const record = (job, ctx) => ctx.db.insertInto('runner_runs').values({ tenant_id: job.tenantId, key: job.key }).execute();
const runs = async (job, ctx) => Number((await ctx.db.selectFrom('runner_runs').select((eb) => eb.fn.countAll().as('n')).where('key', '=', job.key).executeTakeFirstOrThrow()).n);
export default {
  jobs: {
    count: async (job, ctx) => { await record(job, ctx); },
    'fail-once': async (job, ctx) => {
      await record(job, ctx);
      if ((await runs(job, ctx)) === 1) throw new Error('the first try fails');
    },
    'always-fails': async (job, ctx) => { await record(job, ctx); throw new Error('never works'); },
  },
};
`;
const MIGRATION = `
import { sql } from 'kysely';
export async function up(db) {
  await sql\`CREATE TABLE runner_runs (tenant_id uuid NOT NULL, key text)\`.execute(db);
}
`;

let plugins: ReturnType<typeof tempPluginsDir>;
let t: TestApp;
beforeAll(async () => {
  plugins = tempPluginsDir({ plugins: { runner: { manifest: { enabledByDefault: true }, files: { 'server.ts': SERVER, 'migrations/0001_runs.ts': MIGRATION } } } });
  t = await startTestApp({ pluginsDir: plugins.dir });
});
afterAll(async () => {
  await t?.close();
  plugins?.remove();
});

const jobs = () => t.app.host.get('runner').ctx.jobs;
const row = (key: string) => t.app.db.db.selectFrom('plugin_jobs').selectAll().where('tenant_id', '=', t.demoTenantId).where('key', '=', key).executeTakeFirstOrThrow();
const runsOf = async (key: string) => (await sql`SELECT 1 FROM runner_runs WHERE key = ${key}`.execute(t.app.db.db)).rows;

describe('plugin jobs', () => {
  it('a failing job is retried later, with its error recorded', async () => {
    const failedBy = t.clock.nowMs();
    await jobs().now('fail-once', {}, { tenantId: t.demoTenantId, key: 'retry' });
    const failed = await until('the first attempt to fail', async () => { const r = await row('retry'); return r.last_error && r.status === 'scheduled' && r; });
    expect(failed).toMatchObject({ attempts: 1, last_error: 'the first try fails' });
    // Backed off: due a few seconds after the failure, not at once. Pull it in rather than wait.
    expect(failed.run_at.getTime()).toBeGreaterThan(failedBy + 1000);
    await t.app.db.db.updateTable('plugin_jobs').set({ run_at: t.clock.now() }).where('id', '=', failed.id).execute();
    await until('the retry to succeed', async () => (await row('retry')).status === 'done');
    expect(await row('retry')).toMatchObject({ attempts: 2, last_error: null });
    expect(await runsOf('retry')).toHaveLength(2);
  });

  it('after its last attempt a job is left failed, not retried', async () => {
    const id = await jobs().schedule(new Date(t.clock.nowMs() + 3600_000), 'always-fails', {}, { tenantId: t.demoTenantId, key: 'hopeless' });
    await t.app.db.db.updateTable('plugin_jobs').set({ attempts: 9, run_at: t.clock.now() }).where('id', '=', id).execute();
    await until('the job to fail for good', async () => (await row('hopeless')).status === 'failed');
    expect(await row('hopeless')).toMatchObject({ attempts: 10, last_error: 'never works' });
  });

  it('a job whose instance died mid-run runs again once its lease runs out', async () => {
    const id = await jobs().schedule(new Date(t.clock.nowMs() + 3600_000), 'count', {}, { tenantId: t.demoTenantId, key: 'orphan' });
    await t.app.db.db.updateTable('plugin_jobs').set({ status: 'running', attempts: 1, locked_by: crypto.randomUUID(), locked_until: new Date(t.clock.nowMs() - 1000), run_at: t.clock.now() })
      .where('id', '=', id).execute();
    await until('the orphan to run', async () => (await row('orphan')).status === 'done');
    expect(await row('orphan')).toMatchObject({ attempts: 2 });
  });

  it('refuses a job name the plugin does not declare', async () => {
    await expect(jobs().now('no-such-job', {}, { tenantId: t.demoTenantId })).rejects.toMatchObject({ code: 'BF_ERR_JOB_UNKNOWN', details: { plugin: 'runner', name: 'no-such-job' } });
  });

  it('reads a human time, and a keyed job keeps its id when scheduled again', async () => {
    const id = await jobs().schedule('in 2 hours', 'count', { n: 1 }, { tenantId: t.demoTenantId, key: 'human' });
    const hour = 3600_000;
    expect(Math.abs((await row('human')).run_at.getTime() - (t.clock.nowMs() + 2 * hour))).toBeLessThan(hour);
    expect(await jobs().schedule('in 3 hours', 'count', { n: 2 }, { tenantId: t.demoTenantId, key: 'human' })).toBe(id);
    expect(await row('human')).toMatchObject({ id, data: { n: 2 } });
    expect(await jobs().cancel({ tenantId: t.demoTenantId, key: 'human' })).toBe(1);
  });

  it('two instances on one database run each job once', async () => {
    const second = await startTestApp({ databaseUrl: t.databaseUrl, pluginsDir: plugins.dir, seedDemo: false });
    try {
      const keys = Array.from({ length: 30 }, (_, i) => `many-${i}`);
      await t.app.db.db.transaction().execute(async (trx) => {
        for (const key of keys) await jobs().now('count', {}, { tenantId: t.demoTenantId, key, trx });
      });
      await until('every job to run', async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM plugin_jobs WHERE key LIKE 'many-%' AND status = 'done'`.execute(t.app.db.db)).rows[0].n === keys.length);
      const { rows } = await sql<{ key: string; n: number }>`SELECT key, count(*)::int AS n FROM runner_runs WHERE key LIKE 'many-%' GROUP BY key`.execute(t.app.db.db);
      expect(rows).toHaveLength(keys.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('a job due before the next poll runs at its time: the pass before it wakes then, not a poll later', async () => {
    // A runner of its own that polls once a minute; the app's runner has no handler for this job.
    const runner = new PluginJobRunner(t.app.db.db, pino({ level: 'silent' }), { pollMs: 60_000, clock: t.clock });
    const ran: number[] = [];
    runner.defineCore('wake-test', async () => { ran.push(t.clock.nowMs()); });
    const due = t.clock.nowMs() + 700;
    await runner.schedule(t.app.db.db, { tenantId: t.demoTenantId, pluginId: 'core', name: 'wake-test', data: {}, runAt: new Date(due) });
    runner.start();
    try {
      await until('the job to run', () => ran.length === 1);
      expect(ran[0]).toBeGreaterThanOrEqual(due);
      // A poll later would be a minute; allow for a loaded machine.
      expect(ran[0] - due).toBeLessThan(5_000);
    } finally {
      await runner.stop(5_000);
    }
  });
});
