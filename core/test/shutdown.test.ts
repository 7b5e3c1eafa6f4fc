import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '../db/embedded.js';
import { freshDatabase } from '../../test/helpers/db.js';
import { tempPluginsDir } from '../../test/helpers/plugins.js';
import { until } from '../../test/helpers/wait.js';
import { healthy, cleanupAfterAll, startMain, type Main } from '../../test/helpers/main-process.js';

/** A test-only plugin: a request and a job that both hold until the test writes SIGNALS/release. */
const SLOW_SERVER = `import fs from 'node:fs';
import path from 'node:path';
const signal = (name) => path.join(process.env.SLOW_SIGNALS, name);
const released = async () => { while (!fs.existsSync(signal('release'))) await new Promise((r) => setTimeout(r, 20)); };
export default {
  routes(app, ctx) {
    app.post('/public/:tenant/work', { config: { roles: 'public' } }, async (request) => ({ jobId: await ctx.jobs.now('work', {}, { tenantId: request.tenantId }) }));
    app.get('/slow', { config: { roles: 'public' } }, async () => {
      fs.writeFileSync(signal('request-started'), '');
      await released();
      return { finished: true };
    });
  },
  jobs: {
    work: async () => {
      fs.writeFileSync(signal('job-started'), '');
      await released();
      fs.writeFileSync(signal('job-finished'), '');
    },
  },
};
`;

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(false); });
  socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
});

const { cleanup, tempDir } = cleanupAfterAll();

function stopOnExit(main: Main) {
  cleanup.push(async () => {
    if (main.child.exitCode === null && main.child.signalCode === null) {
      main.child.kill('SIGTERM');
      await main.exited;
    }
  });
}

describe('graceful shutdown', () => {
  it('on SIGTERM refuses new connections, finishes the running request and job, and exits 0', async () => {
    const plugins = tempPluginsDir({ plugins: { slow: { manifest: { enabledByDefault: true }, files: { 'server.ts': SLOW_SERVER } } } });
    cleanup.push(plugins.remove);
    const signals = tempDir('bookflow-signals-');
    const port = await freePort();
    const main = startMain({
      DATABASE_URL: await freshDatabase(), PORT: String(port), DATA_DIR: tempDir('bookflow-data-'), BOOKFLOW_PLUGINS_DIR: plugins.dir,
      ADMIN_EMAIL: 'owner@shutdown.test', ADMIN_PASSWORD: 'owner-password', SLOW_SIGNALS: signals,
    });
    stopOnExit(main);
    await until('the server to answer /health', () => healthy(port), 60_000).catch((e) => { throw new Error(`${e.message}\n${main.output()}`); });
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/public/demo/work`, { method: 'POST' })).status).toBe(200);
    await until('the job to start', () => fs.existsSync(path.join(signals, 'job-started')));

    const request = fetch(`http://127.0.0.1:${port}/api/v1/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await until('the request to start', () => fs.existsSync(path.join(signals, 'request-started')));

    main.child.kill('SIGTERM');
    await until('new connections to be refused', () => refused(port));
    expect(main.child.exitCode).toBeNull();
    expect(fs.existsSync(path.join(signals, 'job-finished'))).toBe(false);

    fs.writeFileSync(path.join(signals, 'release'), '');
    expect(await request).toEqual({ status: 200, body: { finished: true } });
    expect(await main.exited, main.output()).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(signals, 'job-finished'))).toBe(true);
  }, 120_000);
});

describe('npm start on the embedded PostgreSQL', () => {
  it('answers /health within 60 s and a second start reuses the data', async () => {
    const dataDir = tempDir('bookflow-start-');
    const env = async () => ({ PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), DATA_DIR: dataDir, ADMIN_EMAIL: 'owner@start.test', ADMIN_PASSWORD: '' });

    const firstEnv = await env();
    const first = startMain(firstEnv);
    stopOnExit(first);
    await until('the first start to answer /health', () => healthy(Number(firstEnv.PORT)), 60_000).catch((e) => { throw new Error(`${e.message}\n${first.output()}`); });
    expect(first.output()).toContain('demo business seeded');
    const password = /owner@start\.test created with password: (\S+)/.exec(first.output())?.[1];
    expect(password, `the generated owner password is printed once:\n${first.output()}`).toBeDefined();
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const secondEnv = await env();
    const second = startMain(secondEnv);
    stopOnExit(second);
    const port = Number(secondEnv.PORT);
    await until('the second start to answer /health', () => healthy(port), 60_000).catch((e) => { throw new Error(`${e.message}\n${second.output()}`); });
    expect(second.output()).not.toContain('demo business seeded');
    expect(second.output()).not.toContain(password);
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@start.test', password }) });
    expect(login.status).toBe(200);

    const client = new pg.Client({ host: '127.0.0.1', port: Number(secondEnv.EMBEDDED_PG_PORT), user: 'postgres', database: 'bookflow', password: fs.readFileSync(path.join(dataDir, '.pg-password'), 'utf8').trim() });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM tenants WHERE slug = 'demo'`);
    await client.end();
    expect(rows).toEqual([{ n: 1 }]);

    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.output()).toBe(0);
  }, 180_000);
});
