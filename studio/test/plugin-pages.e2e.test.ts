/**
 * Plugin pages in the studio (Chromium against the real server): the navigation holds the pages of the plugins
 * enabled for the business and that the member's role may open — booking's move out when booking is switched off
 * (over the API or on the Plugins page) and come back when it is on; a booking's details open from the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../test/helpers/studio-browser.js';

let t: TestApp;
let s: StudioBrowser;
let owner: string;
const BOOKING_PAGES = ['Journal', 'Bookings', 'Services', 'Staff & rooms', 'Schedules'];

const navLinks = () => s.page.getByRole('navigation').getByRole('link').allTextContents();

describe('plugin pages in the studio', () => {
  beforeAll(async () => {
    t = await startTestApp({ plugins: ['booking', 'example'] });
    owner = await t.login(t.owner.email, t.owner.password);
    s = await openStudio(t);
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });

  it('shows the pages of the enabled plugins, each at /<plugin>/<page>', async () => {
    await s.signIn(t.owner.email, t.owner.password);
    await s.page.getByRole('heading', { name: 'Bots & flows', level: 1 }).waitFor();
    const links = await navLinks();
    expect(links).toEqual(expect.arrayContaining([...BOOKING_PAGES, 'Bots & flows', 'Clients', 'Plugins', 'Settings']));
    // The example is off for the demo business: no page of it.
    expect(links.join('|')).not.toContain('Notes');
    await s.page.getByRole('navigation').getByRole('link', { name: 'Staff & rooms' }).click();
    await s.page.getByRole('heading', { name: 'Staff & rooms', level: 1 }).waitFor();
    expect(new URL(s.page.url()).pathname).toBe('/studio/booking/resources');
  });

  it('opens a booking’s details from the list', async () => {
    await s.page.getByRole('navigation').getByRole('link', { name: 'Bookings' }).click();
    const table = s.page.locator('table.table');
    await table.waitFor();
    const details = table.getByRole('button', { name: /^Details: / }).first();
    const label = (await details.getAttribute('aria-label'))!.replace('Details: ', '');
    await details.click();
    const dialog = s.page.getByRole('dialog', { name: `Booking ${label}` });
    await dialog.getByText('Service', { exact: true }).waitFor();
    expect(await dialog.locator('dd').first().textContent()).toBeTruthy();
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('drops booking’s pages when booking is switched off for the business, and brings them back', async () => {
    expect((await t.api('PUT', '/api/v1/plugins/booking/enabled', { token: owner, tenant: 'demo', body: { enabled: false } })).status).toBe(200);
    await s.page.goto(`${t.url}/studio/booking/bookings`);
    await s.page.getByRole('heading', { name: 'Not found', level: 1 }).waitFor();
    const links = await navLinks();
    for (const name of BOOKING_PAGES) expect(links).not.toContain(name);
    expect(links).toContain('Plugins');

    // Switched on again on the Plugins page: the navigation follows without a reload.
    await s.page.getByRole('navigation').getByRole('link', { name: 'Plugins' }).click();
    await s.page.locator('article[data-plugin="booking"]').getByRole('switch').click();
    await expect.poll(navLinks).toEqual(expect.arrayContaining(BOOKING_PAGES));
    await s.page.getByRole('navigation').getByRole('link', { name: 'Bookings' }).click();
    await s.page.getByRole('heading', { name: 'Bookings', level: 1 }).waitFor();
  });

  it('shows a specialist only the pages their role may open, and starts them on the first', async () => {
    const specialist = await t.addMember(owner, 'nav-specialist@example.com', 'specialist');
    expect((await t.api('PUT', '/api/v1/plugins/example/enabled', { token: owner, tenant: 'demo', body: { enabled: true } })).status).toBe(200);
    await s.page.getByRole('button', { name: 'Sign out' }).click();
    await s.signIn(specialist.email, specialist.password);
    // Booking's first page, the day's journal, is where a specialist's day starts.
    await s.page.getByRole('heading', { name: 'Journal', level: 1 }).waitFor();
    const links = await navLinks();
    expect(links).toEqual(expect.arrayContaining(BOOKING_PAGES));
    // The example's notes page is for owners, admins and managers; core's setup pages are not a specialist's.
    for (const name of ['📝 Notes', 'Notes', 'Bots & flows', 'Plugins', 'Clients']) expect(links).not.toContain(name);
    await s.page.goto(`${t.url}/studio/example/notes`);
    await s.page.getByRole('heading', { name: 'Not found', level: 1 }).waitFor();
  });

  it('logged no console errors', () => {
    expect(s.errors).toEqual([]);
  });
});
