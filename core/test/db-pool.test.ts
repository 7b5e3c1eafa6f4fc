import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { until } from '../../test/helpers/wait.js';

// A small pool and a short wait for a connection, so exhaustion shows quickly; jobs are not started (they hold a connection).
let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp({ start: false, config: { dbPoolMax: 2, dbConnectTimeoutMs: 500 } });
  token = await t.login(t.owner.email, t.owner.password);
});
afterAll(async () => { await t?.close(); });

/** Opens `count` transactions that each hold a pool connection until `release` is called. */
async function holdConnections(count: number) {
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  let holding = 0;
  const done = Array.from({ length: count }, () => t.app.db.db.transaction().execute(async (trx) => {
    await sql`SELECT 1`.execute(trx);
    holding++;
    await released;
  }));
  await until('the connections to be held', () => holding === count);
  return async () => { release(); await Promise.all(done); };
}

let releaseHeld: (() => Promise<void>) | undefined;
afterEach(async () => { await releaseHeld?.(); releaseHeld = undefined; });

describe('an exhausted database pool', () => {
  it('makes /health answer 503 instead of waiting', async () => {
    releaseHeld = await holdConnections(2);
    expect(await t.api('GET', '/health')).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'down' } });
    await releaseHeld();
    releaseHeld = undefined;
    expect(await t.api('GET', '/health')).toMatchObject({ status: 503, body: { database: 'up', jobs: 'down' } });
  });

  it('makes API requests fail with a coded 503', async () => {
    releaseHeld = await holdConnections(2);
    const res = await t.api('GET', '/api/v1/auth/me', { token });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('BF_ERR_DB_UNAVAILABLE');
  });
});

describe('work inside a transaction', () => {
  // With one connection left, a handler that asks the pool for a second one while holding its transaction waits out the timeout.
  it('removes a member and saves plugin settings on one connection', async () => {
    releaseHeld = await holdConnections(1);
    const added = await t.addMember(token, 'pool-member@test.local', 'manager', { tenant: 'demo' });
    expect((await t.api('DELETE', `/api/v1/members/${added.userId}`, { token, tenant: 'demo' })).status).toBe(204);
    const saved = await t.api('PUT', '/api/v1/plugins/example/config', { token, tenant: 'demo', body: { config: {} } });
    expect(saved.status).toBe(200);
  });

  it('lets an event subscriber check its plugin is enabled through the handler transaction', async () => {
    releaseHeld = await holdConnections(1);
    const subscriber = t.app.host.subscribers().find((s) => s.key === 'example:example.note-created')!;
    t.app.host.forget(t.demoTenantId);
    await t.app.db.db.transaction().execute((trx) =>
      subscriber.handle({ id: crypto.randomUUID(), tenantId: t.demoTenantId, type: 'example.note-created', payload: {}, createdAt: new Date() }, trx));
  });
});
