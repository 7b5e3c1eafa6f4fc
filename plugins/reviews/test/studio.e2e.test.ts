/**
 * The reviews inbox in Chromium against the real server, over the demo's reviews: the list and its rating
 * filter, hiding a review, the averages per specialist and service with their trend lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';
import { until } from '../../../test/helpers/wait.js';

let t: TestApp;
let s: StudioBrowser;
let owner: string;
const reviews = (query = '') => t.api('GET', `/api/v1/reviews${query}`, { token: owner, tenant: 'demo' }).then((r) => r.body as { total: number; items: Array<{ id: string; rating: number; status: string; clientName: string }> });

describe('the reviews inbox in the studio', () => {
  beforeAll(async () => {
    t = await startTestApp({ plugins: ['reviews'] });
    owner = await t.login(t.owner.email, t.owner.password);
    await until('the demo reviews', async () => (await reviews()).total > 0);
    s = await openStudio(t);
    await s.signIn(t.owner.email, t.owner.password);
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });

  it('lists the reviews, filters the low ones and hides one', async () => {
    await s.page.getByRole('navigation').getByRole('link', { name: /Reviews/ }).click();
    await s.page.getByRole('heading', { name: 'Reviews', level: 1 }).waitFor();
    expect(new URL(s.page.url()).pathname).toBe('/studio/reviews/inbox');
    const table = s.page.getByRole('table', { name: 'Reviews' });
    const all = await reviews();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(all.items.length);

    await s.page.getByLabel('Rating', { exact: true }).selectOption({ label: '1–2 ★' });
    const low = all.items.filter((r) => r.rating <= 2);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(low.length);
    const row = table.locator('tbody tr').first();
    await row.getByText(low[0].clientName).waitFor();
    await row.getByRole('button', { name: 'Hide' }).click();
    await row.getByText('Hidden').waitFor();
    expect((await reviews()).items.find((r) => r.id === low[0].id)?.status).toBe('hidden');
  });

  it('shows the averages per specialist and service with their trends', async () => {
    const specialists = s.page.getByRole('table', { name: 'Specialists' });
    await specialists.locator('tbody tr').first().getByText(/★ \d\.\d/).waitFor();
    expect(await specialists.getByRole('img', { name: /Trend by week/ }).count()).toBeGreaterThan(0);
    expect(await s.page.getByRole('table', { name: 'Services' }).locator('tbody tr').count()).toBeGreaterThan(0);
  });

  it('logged no console errors', () => {
    expect(s.errors).toEqual([]);
  });
});
