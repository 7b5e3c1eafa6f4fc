/**
 * The example's admin UI in Chromium against the real server: its notes page (add, remind, delete) and its
 * `client.card` widget on a client's card (the client's notes, a new one), shown only while the plugin is on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';

let t: TestApp;
let s: StudioBrowser;
let owner: string;
let client: { id: string; name: string };
const notes = (query = '') => t.api('GET', `/api/v1/example/notes${query}`, { token: owner, tenant: 'demo' }).then((r) => r.body.items as Array<{ id: string; text: string; contact_id: string | null; remind_at: string | null }>);

describe('the example plugin in the studio', () => {
  beforeAll(async () => {
    t = await startTestApp({ plugins: ['booking', 'example'] });
    owner = await t.login(t.owner.email, t.owner.password);
    expect((await t.api('PUT', '/api/v1/plugins/example/enabled', { token: owner, tenant: 'demo', body: { enabled: true } })).status).toBe(200);
    client = (await t.api('POST', '/api/v1/contacts', { token: owner, tenant: 'demo', body: { name: 'Olena Notewright', phone: '+380501234567' } })).body;
    s = await openStudio(t);
    s.page.on('dialog', (d) => d.accept());
    await s.signIn(t.owner.email, t.owner.password);
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });

  it('adds a note on its page, sets its reminder and deletes it', async () => {
    await s.page.getByRole('navigation').getByRole('link', { name: /Notes/ }).click();
    await s.page.getByRole('heading', { name: 'Notes', level: 1 }).waitFor();
    expect(new URL(s.page.url()).pathname).toBe('/studio/example/notes');
    await s.page.getByLabel('New note').fill('Order more towels');
    await s.page.getByRole('button', { name: 'Add note' }).click();
    const table = s.page.getByRole('table', { name: 'Notes' });
    const row = table.locator('tr', { hasText: 'Order more towels' });
    await row.waitFor();
    const saved = (await notes()).find((n) => n.text === 'Order more towels')!;
    expect(saved).toMatchObject({ contact_id: null, remind_at: null });

    await row.getByLabel('Remind at: Order more towels').fill('2031-05-04T09:30');
    await row.getByRole('button', { name: 'Set reminder' }).click();
    await row.getByRole('button', { name: 'Clear reminder' }).waitFor();
    // The browser's 09:30 local time, as an instant.
    const { remind_at } = (await notes()).find((n) => n.id === saved.id)!;
    expect(new Date(remind_at!).toISOString()).toBe(await s.page.evaluate(() => new Date('2031-05-04T09:30').toISOString()));

    await row.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await notes()).map((n) => n.id)).not.toContain(saved.id);
  });

  it('shows the client’s notes on the client card and adds one there', async () => {
    await s.page.getByRole('navigation').getByRole('link', { name: 'Clients', exact: true }).click();
    await s.page.getByRole('searchbox').fill('Notewright');
    await s.page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: client.name }).click();
    await s.page.getByRole('heading', { name: client.name, level: 1 }).waitFor();
    const card = s.page.locator('.page');
    const widget = card.locator('[data-plugin="example"]');
    await widget.getByText('No notes about this client yet.').waitFor();
    await widget.getByLabel('New note').fill('Prefers morning visits');
    await widget.getByRole('button', { name: 'Add note' }).click();
    await widget.getByRole('listitem').filter({ hasText: 'Prefers morning visits' }).waitFor();
    expect(await widget.getByLabel('New note').inputValue()).toBe('');
    expect((await notes(`?contactId=${client.id}`)).map((n) => n.text)).toEqual(['Prefers morning visits']);
    // On the notes page it says whom it is about.
    await s.page.getByRole('navigation').getByRole('link', { name: /Notes/ }).click();
    await s.page.getByRole('table', { name: 'Notes' }).locator('tr', { hasText: 'Prefers morning visits' }).getByText('About a client').waitFor();
  });

  it('hides the widget and the page once the plugin is off', async () => {
    await s.page.getByRole('navigation').getByRole('link', { name: 'Plugins' }).click();
    await s.page.locator('article[data-plugin="example"]').getByRole('switch').click();
    await expect.poll(() => s.page.getByRole('navigation').getByRole('link', { name: /Notes/ }).count()).toBe(0);
    await s.page.getByRole('navigation').getByRole('link', { name: 'Clients', exact: true }).click();
    await s.page.getByRole('searchbox').fill('Notewright');
    await s.page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: client.name }).click();
    await s.page.getByRole('region', { name: 'How to reach' }).getByText('+380501234567').waitFor();
    const card = s.page.locator('.page');
    // Booking's visits still fill the card's zone; the example's widget is gone from it.
    expect(await card.locator('[data-zone="client.card"] [data-plugin="example"]').count()).toBe(0);
  });

  it('logged no console errors', () => {
    expect(s.errors).toEqual([]);
  });
});
