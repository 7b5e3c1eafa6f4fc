import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedServer } from '../db/embedded.js';
import { ensureDatabase } from '../db/provision.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';

// DATABASE_URL points the app at any PostgreSQL ≥ 14; here a second server of its own, with an empty database.
let server: EmbeddedServer;
let dir: string;
let t: TestApp;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bookflow-external-'));
  fs.chmodSync(dir, 0o755);
  server = await startEmbeddedPostgres({ dataDir: dir });
  t = await startTestApp({ databaseUrl: await ensureDatabase(server.url, 'bookflow') });
});
afterAll(async () => {
  await t?.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('an external database', () => {
  it('gets every migration and serves the API', async () => {
    expect(new URL(t.databaseUrl).port).toBe(String(server.port));
    expect((await t.api('GET', '/health')).body).toEqual({ status: 'ok' });
    const token = await t.login(t.owner.email, t.owner.password);
    expect((await t.api('PUT', '/api/v1/plugins/example/enabled', { token, body: { enabled: true } })).status).toBe(200);
    expect((await t.api('POST', '/api/v1/example/notes', { token, body: { text: 'stored on the external server' } })).status).toBe(201);

    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      expect(Number((await client.query('SHOW server_version_num')).rows[0].server_version_num)).toBeGreaterThanOrEqual(140000);
      expect((await client.query(`SELECT text FROM example_notes`)).rows).toEqual([{ text: 'stored on the external server' }]);
      const histories = (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'migrations\\_%' AND table_name NOT LIKE '%\\_lock'`)).rows.map((r) => r.table_name);
      expect(histories).toEqual(expect.arrayContaining(['migrations_core', 'migrations_example']));
    } finally {
      await client.end();
    }
  });
});
