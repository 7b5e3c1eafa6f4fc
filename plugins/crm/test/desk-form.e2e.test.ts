/**
 * The journal's new-booking dialog in Chromium (seed 003): once the desk chooses the demo spa's Анна, crm's two
 * interest charts show in the booking.form zone, and booking's third panel shows the day's equipment with the LPG
 * machine busy at the time we booked it for another guest (Анна only books with her fixed specialist).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { clickStillCell, openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';

let t: TestApp;
let owner: StudioBrowser;
let token: string;
const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant: 'demo', body });

beforeAll(async () => {
  t = await startTestApp({ plugins: ['crm'] });
  token = await t.login(t.owner.email, t.owner.password);
  owner = await openStudio(t, { viewport: { width: 1440, height: 900 } });
  await owner.signIn(t.owner.email, t.owner.password);
}, 120_000);
afterAll(async () => {
  await owner?.close();
  await t?.close();
});

describe('the desk\'s new-booking form', () => {
  it('shows the chosen client\'s two interest charts and the day\'s busy equipment', async () => {
    const anna = (await api('GET', '/api/v1/contacts?q=%2B79161234501')).body.items[0] as { id: string; name: string };
    const services = (await api('GET', '/api/v1/booking/services?limit=100')).body.items as Array<{ id: string; name: string }>;
    const lpg = services.find((x) => x.name === 'LPG-массаж тела')!;
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 8 * 86_400_000).toISOString();
    const slots = (await api('GET', `/api/v1/booking/slots?serviceId=${lpg.id}&from=${from}&to=${to}`)).body.items as Array<{ start: string; resourceIds: string[] }>;
    const booked = await api('POST', '/api/v1/bookings', { serviceId: lpg.id, start: slots[0].start, resourceIds: slots[0].resourceIds, client: { name: 'Гость LPG', phone: '+79160000077' }, source: 'phone' });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const { timezone } = (await api('GET', '/api/v1/tenant')).body;
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date(slots[0].start));

    const page = owner.page;
    await page.goto(`${t.url}/studio/booking/journal`);
    const loaded = page.waitForResponse((r) => r.url().includes('/api/v1/booking/journal?') && r.url().includes(date));
    await page.getByLabel('Date', { exact: true }).fill(date);
    await loaded;
    await clickStillCell(page, page.locator('.rbc-time-content .rbc-day-slot').first().locator('.rbc-time-slot').nth(7 * 4));
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Client: phone or name').fill('+79161234501');
    await dialog.getByRole('button', { name: anna.name }).click();

    const survey = dialog.getByRole('figure', { name: 'Interests by the survey' });
    await survey.locator('.recharts-pie-sector').first().waitFor();
    expect(await survey.locator('.crm-legend li').allInnerTexts()).toEqual(expect.arrayContaining(['SPA, массаж: 5', 'Бани: 4']));
    expect(await dialog.getByRole('figure', { name: 'Interests by visits' }).count()).toBe(1);

    const equipment = dialog.getByRole('region', { name: 'Equipment occupancy' });
    const machine = equipment.getByRole('img', { name: /^LPG-аппарат Cellu M6: busy/ });
    await machine.waitFor();
    const hours = Number((await machine.getAttribute('aria-label'))!.match(/busy ([\d.]+) h/)![1]);
    expect(hours).toBeGreaterThanOrEqual(0.5);
    expect(await machine.locator('i').count()).toBeGreaterThanOrEqual(1);
    expect(owner.errors).toEqual([]);
  }, 120_000);
});
