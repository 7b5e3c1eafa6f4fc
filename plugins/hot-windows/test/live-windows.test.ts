/**
 * Each instance keeps a business's hot windows (every slot listing and booking asks for them): a window cancelled
 * on one instance stops being hot on that one at once and on the other as soon as it hears the change, far within
 * the kept list's 30 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { until } from '../../../test/helpers/wait.js';

let a: TestApp;
let b: TestApp;
let token: string;
beforeAll(async () => {
  a = await startTestApp({ plugins: ['booking', 'prepayment', 'hot-windows', 'broadcasts'] });
  b = await startTestApp({ plugins: ['booking', 'prepayment', 'hot-windows', 'broadcasts'], databaseUrl: a.databaseUrl, seedDemo: false });
  token = await a.login(a.owner.email, a.owner.password);
}, 180_000);
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const get = async (app: TestApp, path: string) => {
  const res = await app.api('GET', path, { token, tenant: 'demo' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const hot = async (app: TestApp, serviceId: string) =>
  (await get(app, `/api/v1/hot-windows/calendar?serviceId=${serviceId}&days=7`)).slots.filter((s: { kind: string }) => s.kind === 'hot').length;

describe('kept hot windows', () => {
  it('a window cancelled on one instance is no longer hot there at once, and on the other soon after', async () => {
    const [window] = (await get(a, '/api/v1/hot-windows')).items as Array<{ id: string; serviceIds: string[] }>;
    expect(window, 'the demo has a hot window').toBeDefined();
    const [serviceId] = window.serviceIds;
    const before = await hot(a, serviceId);
    expect(before).toBeGreaterThan(0);
    expect(await hot(b, serviceId)).toBe(before);

    expect((await a.api('DELETE', `/api/v1/hot-windows/${window.id}`, { token, tenant: 'demo' })).status).toBe(204);
    const left = (await get(a, '/api/v1/hot-windows')).items.filter((w: { serviceIds: string[] }) => w.serviceIds.includes(serviceId)).length;
    const after = await hot(a, serviceId);
    expect(after).toBeLessThan(before);
    if (!left) expect(after).toBe(0);
    const started = Date.now();
    await until('the other instance hears the cancel', async () => (await hot(b, serviceId)) === after, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
