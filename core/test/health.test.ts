import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { adminUrl } from '../../test/helpers/db.js';
import { until } from '../../test/helpers/wait.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp({ plugins: [], start: false }); });
afterAll(async () => { await t?.close(); }, 30_000);

/** Runs one statement as the superuser, outside the app's pool. */
async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('/health', () => {
  it('is 503 until the job runner is up, then 200', async () => {
    expect(await t.api('GET', '/health')).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'up', jobs: 'down' } });
    await t.app.start();
    expect(await t.api('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('is 503 while the database cannot be reached, and 200 again once it can', async () => {
    const name = new URL(t.databaseUrl).pathname.slice(1);
    await admin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    try {
      await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
      expect(await t.api('GET', '/health')).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'down' } });
    } finally {
      await admin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    await until('the database to be back', async () => (await t.api('GET', '/health')).status === 200);
  });
});
