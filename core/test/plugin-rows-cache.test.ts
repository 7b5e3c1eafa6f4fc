/**
 * A business's plugin rows (on or off, config) are read once and kept by each instance: a turn or a booking reads
 * them many times. A change through the API shows on the other instance at once, told by NOTIFY at commit, well
 * within the cache's 30 s fallback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { until } from '../../test/helpers/wait.js';

let a: TestApp;
let b: TestApp;
let token: string;

beforeAll(async () => {
  a = await startTestApp({ plugins: ['example'] });
  b = await startTestApp({ plugins: ['example'], databaseUrl: a.databaseUrl, seedDemo: false });
  token = await a.login(a.owner.email, a.owner.password);
}, 180_000);
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const greeting = async (app: TestApp) => (await app.app.host.get('example').ctx.config<{ greeting: string }>(a.demoTenantId)).greeting;

describe('plugin rows of a business', () => {
  it('are read once per instance, and a change through the API reaches the other instance at once', async () => {
    expect(await greeting(b)).toBe('Hello');
    // Written behind the app's back (nothing announced): the instance answers from what it read.
    await a.app.db.db.updateTable('tenant_plugins').set({ config: JSON.stringify({ greeting: 'Unannounced' }) })
      .where('tenant_id', '=', a.demoTenantId).where('plugin_id', '=', 'example').execute();
    expect(await greeting(b)).toBe('Hello');

    const put = await a.api('PUT', '/api/v1/plugins/example/config', { token, body: { config: { greeting: 'Привет' } } });
    expect(put.status).toBe(200);
    expect(await greeting(a)).toBe('Привет');
    const started = Date.now();
    await until('the other instance sees the new config', async () => (await greeting(b)) === 'Привет', 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);

    expect(await b.app.host.isEnabled(a.demoTenantId, 'example')).toBe(false);
    expect((await a.api('PUT', '/api/v1/plugins/example/enabled', { token, body: { enabled: true } })).status).toBe(200);
    await until('the other instance sees the plugin on', () => b.app.host.isEnabled(a.demoTenantId, 'example'), 10_000);
  });

  it('a transaction that changes them reads its own change, and a rollback leaves every cache as it was', async () => {
    const host = a.app.host;
    const before = await greeting(a);
    await a.app.db.db.transaction().execute(async (trx) => {
      await host.setConfig(trx, a.demoTenantId, 'example', { greeting: 'Inside' });
      expect((await host.get('example').ctx.config<{ greeting: string }>(a.demoTenantId, trx)).greeting).toBe('Inside');
      throw new Error('rolled back');
    }).catch((e: Error) => expect(e.message).toBe('rolled back'));
    expect(await greeting(a)).toBe(before);
  });
});
