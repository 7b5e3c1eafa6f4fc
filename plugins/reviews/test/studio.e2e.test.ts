/**
 * The reviews inbox in Chromium against the real server, over the demo's reviews: the list and its rating
 * filter, hiding a review, sharing offered only when there is an audience to share with, the averages per
 * specialist and service with their trend lines, a client's photo as a thumbnail and the channel post's button.
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
    t = await startTestApp({ plugins: ['reviews', 'broadcasts'] });
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

  it('offers to share a published review only once an audience segment is set, and then shares it', async () => {
    const table = s.page.getByRole('table', { name: 'Reviews' });
    await s.page.getByLabel('Rating', { exact: true }).selectOption({ label: '4–5 ★' });
    const share = table.locator('tbody tr').first().getByRole('button', { name: 'Share with clients' });
    // Broadcasts is on, but no segment is set: the button says what is missing instead of answering 409.
    await expect.poll(() => share.isDisabled()).toBe(true);
    expect(await share.getAttribute('title')).toMatch(/^Sharing needs the Broadcasts plugin on and an audience segment/);
    expect((await t.api('GET', '/api/v1/reviews', { token: owner, tenant: 'demo' })).body.canShare).toBe(false);

    const segment = await t.api('POST', '/api/v1/segments', { token: owner, tenant: 'demo', body: { name: 'Channel', rule: { field: 'tags', op: 'contains', value: 'channel' } } });
    const config = (await t.api('GET', '/api/v1/plugins', { token: owner, tenant: 'demo' })).body.items.find((p: { id: string }) => p.id === 'reviews').config;
    expect((await t.api('PUT', '/api/v1/plugins/reviews/config', { token: owner, tenant: 'demo', body: { config: { ...config, channelSegmentId: segment.body.id } } })).status).toBe(200);
    expect((await t.api('GET', '/api/v1/reviews', { token: owner, tenant: 'demo' })).body.canShare).toBe(true);
    // A manager may not share (POST …/post is for owners and admins): not offered to them either.
    const manager = await t.addMember(owner, 'manager@reviews-studio.test', 'manager');
    expect((await t.api('GET', '/api/v1/reviews', { token: manager.token, tenant: 'demo' })).body.canShare).toBe(false);
    await s.page.reload();
    await s.page.getByLabel('Rating', { exact: true }).selectOption({ label: '4–5 ★' });
    const firstHigh = (await reviews('?rating=4,5')).items[0];
    await expect.poll(() => share.isEnabled()).toBe(true);
    await share.click();
    await expect.poll(async () => (await t.api('GET', '/api/v1/broadcasts', { token: owner, tenant: 'demo' })).body.items.some((c: { origin: { id: string } | null }) => c.origin?.id === firstHigh.id)).toBe(true);
    // Shared once: the button is gone from that review.
    await expect.poll(() => table.locator('tbody tr').first().getByRole('button', { name: 'Share with clients' }).count()).toBe(0);
  });

  it('shows the photo a client sent as a thumbnail, and offers "Post to channel" only once a channel is set', async () => {
    // A stored photo of a published review, as the fetch-media job leaves it (a real 1×1 PNG, so the browser draws it).
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const ctx = t.app.host.get('reviews').ctx;
    const review = (await reviews('?status=published')).items[0];
    const file = await ctx.files.put(ctx.db, t.demoTenantId, { kind: 'photo', data: png });
    const bot = await t.app.db.db.selectFrom('bots').select('id').where('tenant_id', '=', t.demoTenantId).executeTakeFirstOrThrow();
    await t.app.db.db.insertInto('reviews_media').values({
      tenant_id: t.demoTenantId, review_id: review.id, kind: 'photo', bot_id: bot.id, chat_id: '1', locale: 'en', telegram_file_id: 'f', telegram_file_unique_id: 'u',
      status: 'stored', file_id: file.id, created_at: new Date(),
    }).execute();
    await s.page.reload();
    await s.page.getByLabel('Status', { exact: true }).selectOption({ label: 'Published' });
    const row = s.page.getByRole('table', { name: 'Reviews' }).locator('tbody tr').filter({ has: s.page.getByRole('img', { name: 'Photo 1 from the client' }) });
    const thumb = row.getByRole('img', { name: 'Photo 1 from the client' });
    await expect.poll(() => thumb.evaluate((el) => { const img = el as unknown as { complete: boolean; naturalWidth: number }; return img.complete && img.naturalWidth; })).toBe(1);
    const post = row.getByRole('button', { name: 'Post to channel' });
    expect(await post.isDisabled()).toBe(true);
    expect(await post.getAttribute('title')).toMatch(/^Posting needs the Telegram channel/);
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
