import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { tempPluginsDir } from '../../test/helpers/plugins.js';
import { until } from '../../test/helpers/wait.js';

let plugins: ReturnType<typeof tempPluginsDir>;
const apps: TestApp[] = [];
beforeAll(() => { plugins = tempPluginsDir({ copy: ['example'] }); });
afterAll(async () => {
  for (const a of apps) await a.close();
  plugins?.remove();
});

describe('jobs', () => {
  it('a job scheduled by one instance runs on the next one after a restart', async () => {
    const first = await startTestApp({ pluginsDir: plugins.dir });
    const { db } = first.app.db;
    const tenantId = first.demoTenantId;
    const old = new Date(first.clock.nowMs() - 40 * 86400_000);
    const [stale, recent] = await db.insertInto('example_notes')
      .values([{ tenant_id: tenantId, text: 'deleted long ago', deleted_at: old }, { tenant_id: tenantId, text: 'deleted today', deleted_at: first.clock.now() }])
      .returning('id').execute();

    const jobs = first.app.host.get('example').ctx.jobs;
    await first.api('PUT', '/api/v1/plugins/example/enabled', { token: await first.login(first.owner.email, first.owner.password), body: { enabled: true } });
    // An instant on the app's clock, which the job runner reads.
    const jobId = await jobs.schedule(new Date(first.clock.nowMs() + 4000), 'purge-deleted', {}, { tenantId });
    await first.close();

    // Between the two instances, nothing runs: the job waits in the database, not run yet.
    const between = openDatabase(first.databaseUrl);
    const job = await between.db.selectFrom('plugin_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    await between.close();
    expect(job).toMatchObject({ plugin_id: 'example', name: 'purge-deleted', tenant_id: tenantId, status: 'scheduled', attempts: 0 });
    expect(job.run_at.getTime()).toBeGreaterThan(first.clock.nowMs());

    const second = await startTestApp({ databaseUrl: first.databaseUrl, pluginsDir: plugins.dir });
    apps.push(second);
    await until('the job to run on the new instance', async () =>
      (await second.app.db.db.selectFrom('plugin_jobs').select('status').where('id', '=', jobId).executeTakeFirstOrThrow()).status === 'done');
    const left = await second.app.db.db.selectFrom('example_notes').select('id').where('id', 'in', [stale.id, recent.id]).execute();
    expect(left.map((n) => n.id)).toEqual([recent.id]);
  });
});
