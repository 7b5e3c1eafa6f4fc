/**
 * Mango reports an incoming call from a known number: the admin's studio, on whatever page it is, pops up the
 * caller's card (status, colour group, lock, upcoming bookings), and "Book in the journal" opens the desk booking
 * form with the caller already chosen; the summary's recording is linked from the card's call log. A forged event
 * pops nothing up. The popup is pushed over the studio's one open stream of calls: no request asks for them again.
 * Chromium against the Mango stand-in.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { MangoStandIn } from '../../../test/helpers/mango-standin.js';
import { clickStillCell, openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';

const KEY = 'vpbx-key-popup-123';
const SALT = 'vpbx-salt-popup-321';
let t: TestApp;
let mango: MangoStandIn;
let studio: StudioBrowser;
let page: Page;
let token: string;
let hook: string;
/** Every time the page asked for the ringing calls, and whether as a stream. */
const asks: Array<{ stream: boolean }> = [];
const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant: 'demo', body });
const now = () => Math.floor(t.clock.now().getTime() / 1000);

beforeAll(async () => {
  mango = await MangoStandIn.start(KEY, SALT);
  t = await startTestApp({ plugins: ['crm-telephony'] });
  token = await t.login(t.owner.email, t.owner.password);
  expect((await api('PUT', '/api/v1/plugins/crm-telephony/enabled', { enabled: true })).status).toBe(200);
  expect((await api('PUT', '/api/v1/plugins/crm-telephony/config', { config: { apiKey: KEY, apiSalt: SALT, extensions: [] } })).status).toBe(200);
  hook = `${t.url}/api/v1/public/demo/telephony/mango/`;
  studio = await openStudio(t, { viewport: { width: 1440, height: 900 } });
  page = studio.page;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/telephony/live') asks.push({ stream: (r.headers().accept ?? '').includes('text/event-stream') });
  });
  await studio.signIn(t.owner.email, t.owner.password);
}, 120_000);
afterAll(async () => {
  await studio?.close();
  await t?.close();
  await mango?.close();
});

describe('a ringing call in the admin\'s studio', () => {
  it('pops up the caller\'s card over any page, and books them from the journal with the form pre-filled', async () => {
    const anna = (await api('GET', '/api/v1/contacts?q=%2B79161234501')).body.items[0];
    await page.getByRole('navigation').getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    const popup = page.getByRole('alert', { name: 'Incoming call' });
    expect(await popup.count()).toBe(0);
    // Signed in, the studio opened its one stream of ringing calls.
    await expect.poll(() => asks).toEqual([{ stream: true }]);

    // A forged sign is refused by the server and shows nothing.
    const forged = await mango.post(hook, 'call', { entry_id: 'P0', call_id: 'C0', timestamp: now(), seq: 1, call_state: 'Appeared', from: { number: '79161234501' } }, { sign: 'f'.repeat(64) });
    expect(forged.status).toBe(401);
    const sent = Date.now();
    expect((await mango.post(hook, 'call', { entry_id: 'P1', call_id: 'C1', timestamp: now(), seq: 1, call_state: 'Appeared', from: { number: '79161234501' }, to: { number: '74951234567' } })).body).toEqual({ ok: true, duplicate: false });
    // Pushed, not polled: it shows at once (the time is logged; the bound is loose for a loaded machine) and nothing asked again.
    await popup.waitFor({ timeout: 3000 });
    console.log(`call popup shown ${Date.now() - sent} ms after the event`);
    expect(asks).toEqual([{ stream: true }]);
    expect(await popup.count()).toBe(1);
    const shown = (await popup.innerText()).replace(/\s+/g, ' ');
    // The demo's Анна: a repeat guest, locked to her specialist, with bookings ahead.
    expect(shown).toContain(anna.name);
    expect(shown).toContain('+79161234501');
    expect(shown).toMatch(/Repeat · Guest/);
    await popup.getByRole('img', { name: 'Books only with the fixed specialist' }).waitFor();
    expect(shown).toMatch(/Upcoming: [1-9]/);

    await popup.getByRole('button', { name: 'Book in the journal' }).click();
    await page.getByRole('heading', { name: 'Journal', level: 1 }).waitFor();
    expect(new URL(page.url()).search).toBe(`?client=${anna.id}`);
    await page.getByRole('status').filter({ hasText: `Booking ${anna.name}: choose a free time` }).waitFor();
    // A day without the demo's bookings: its first column's 12:00 is free.
    const later = new Date(t.clock.now().getTime() + 40 * 86_400_000).toISOString().slice(0, 10);
    const loaded = page.waitForResponse((r) => r.url().includes('/api/v1/booking/journal?') && r.url().includes(later));
    await page.getByLabel('Date', { exact: true }).fill(later);
    await loaded;
    await expect.poll(() => page.locator('.jb').count()).toBe(0);
    await clickStillCell(page, page.locator('.rbc-time-content .rbc-day-slot').first().locator('.rbc-time-slot').nth(12 * 4));
    const dialog = page.getByRole('dialog', { name: /^New booking · / });
    await dialog.getByText(`Client: ${anna.name}`).waitFor();
    expect(await dialog.getByLabel('Client: phone or name').count()).toBe(0);

    // The call ends: the popup goes.
    await mango.post(hook, 'call', { entry_id: 'P1', call_id: 'C1', timestamp: now(), seq: 2, call_state: 'Disconnected', from: { number: '79161234501' } });
    await page.keyboard.press('Escape');
    await expect.poll(() => popup.count(), { timeout: 3000 }).toBe(0);
    // The walk to the journal kept the same stream; the call's end came over it too.
    expect(asks).toEqual([{ stream: true }]);

    // Mango's summary brings the talk's length and the recording: the card's call log shows them, the link opens it.
    const end = now();
    await mango.post(hook, 'summary', { entry_id: 'P1', call_direction: 1, from: { number: '79161234501' }, create_time: end - 200, talk_time: end - 180, end_time: end, entry_result: 1, recording_url: 'https://records.example/P1.mp3' });
    await page.goto(`${t.url}/studio/contacts/${anna.id}`);
    const log = page.getByRole('region', { name: 'Calls' }).last();
    const record = log.getByRole('link', { name: 'recording' });
    await record.waitFor();
    expect(await record.getAttribute('href')).toBe('https://records.example/P1.mp3');
    expect((await log.innerText()).replace(/\s+/g, ' ')).toMatch(/incoming · answered · 3 min/);
    expect(studio.errors).toEqual([]);
  });
});
