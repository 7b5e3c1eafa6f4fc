import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
let token: string;
const api = (path: string) => t.api('GET', path, { token, tenant: 'demo' });

beforeAll(async () => {
  t = await startTestApp({ plugins: ['crm', 'reviews'] });
  token = await t.login(t.owner.email, t.owner.password);
});
afterAll(() => t?.close());

describe('the staff efficiency report', () => {
  it('rates each specialist by the reviews of the period\'s visits (seed 004), null without any', async () => {
    // The demo's reviews are written by a job right after the demo business.
    await expect.poll(async () => (await sql<{ n: string }>`SELECT count(*) AS n FROM reviews_reviews WHERE tenant_id = ${t.demoTenantId}`.execute(t.app.db.db)).rows[0].n, { timeout: 20_000 }).not.toBe('0');
    const { timezone } = (await sql<{ timezone: string }>`SELECT timezone FROM tenants WHERE id = ${t.demoTenantId}`.execute(t.app.db.db)).rows[0];
    const today = DateTime.fromJSDate(t.clock.now(), { zone: timezone });
    const from = today.minus({ days: 20 }).toISODate()!;
    const to = today.toISODate()!;
    const report = await api(`/api/v1/crm/reports/staff?from=${from}&to=${to}`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    // What the reviews say, counted here from their rows: visible reviews of visits on those days, per specialist.
    const start = DateTime.fromISO(from, { zone: timezone }).toJSDate();
    const end = DateTime.fromISO(to, { zone: timezone }).plus({ days: 1 }).toJSDate();
    const rows = (await sql<{ rating: number; resource_ids: string[] }>`SELECT rating, resource_ids FROM reviews_reviews WHERE tenant_id = ${t.demoTenantId} AND status <> 'hidden' AND visit_start >= ${start} AND visit_start < ${end}`.execute(t.app.db.db)).rows;
    const items = report.body.items as Array<{ resourceId: string; rating: { average: number; count: number } | null }>;
    let rated = 0;
    for (const item of items) {
      const mine = rows.filter((r) => r.resource_ids.includes(item.resourceId));
      if (!mine.length) { expect(item.rating, item.resourceId).toBeNull(); continue; }
      rated++;
      expect(item.rating).toEqual({ average: Math.round((mine.reduce((n, r) => n + r.rating, 0) / mine.length) * 100) / 100, count: mine.length });
    }
    expect(rated).toBeGreaterThan(0);
    // Older reviews count in a period that holds their visits.
    const all = (await api(`/api/v1/crm/reports/staff?from=${today.minus({ days: 90 }).toISODate()}&to=${to}`)).body.items as typeof items;
    expect(all.reduce((n, x) => n + (x.rating?.count ?? 0), 0)).toBeGreaterThan(items.reduce((n, x) => n + (x.rating?.count ?? 0), 0));
  });
});
