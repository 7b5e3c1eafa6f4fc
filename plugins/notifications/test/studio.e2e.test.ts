/**
 * The notifications studio in Chromium against the real server: an owner sets a service's own reminder offsets and
 * gives it back the business's, chooses a client's first channel on their card, and turns on email for their alerts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';

let t: TestApp;
let s: StudioBrowser;
let owner: string;
const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token: owner, tenant: 'demo', body });

describe('the notifications plugin in the studio', () => {
  beforeAll(async () => {
    t = await startTestApp({ plugins: ['booking', 'notifications'] });
    owner = await t.login(t.owner.email, t.owner.password);
    s = await openStudio(t);
    await s.signIn(t.owner.email, t.owner.password);
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });

  it("sets a chosen service's own reminders, refuses a bad list, and gives it back the business's", async () => {
    const services = (await api('GET', '/api/v1/booking/services')).body.items as Array<{ id: string; name: string }>;
    const service = services[1] ?? services[0];
    const offsets = async () => (await api('GET', `/api/v1/notifications/services/${service.id}/offsets`)).body.offsets;
    await s.page.getByRole('navigation').getByRole('link', { name: /Reminders by service/ }).click();
    await s.page.getByRole('heading', { name: 'Reminders by service', level: 1 }).waitFor();
    await s.page.getByText('(1440, 480, 240, 60 minutes before)', { exact: false }).waitFor();
    await s.page.getByLabel('Service').selectOption({ label: service.name });
    await s.page.getByText("This service uses the business's reminders.").waitFor();
    const input = s.page.getByLabel('Its own reminders, minutes before, separated by commas');
    await input.fill('1440, 2');
    await s.page.getByRole('button', { name: 'Save' }).click();
    await s.page.getByRole('alert').getByText('Write whole numbers of minutes from 5 to 20160').waitFor();
    expect(await offsets()).toBeNull();
    await input.fill('1440, 120');
    await s.page.getByRole('button', { name: 'Save' }).click();
    await s.page.getByRole('status').getByText('Saved').waitFor();
    expect(await offsets()).toEqual([1440, 120]);
    // Shown again when the page opens anew.
    await s.page.reload();
    await s.page.getByLabel('Service').selectOption({ label: service.name });
    await expect.poll(() => input.inputValue()).toBe('1440, 120');
    await s.page.getByRole('button', { name: "Use the business's" }).click();
    await s.page.getByText("This service uses the business's reminders.").waitFor();
    expect(await offsets()).toBeNull();
  });

  it("chooses the client's first channel on their card", async () => {
    const client = (await api('POST', '/api/v1/contacts', { name: 'Oksana Channelson', phone: '+380501112233', email: 'oksana@client.test' })).body;
    await s.page.getByRole('navigation').getByRole('link', { name: 'Clients', exact: true }).click();
    await s.page.getByRole('searchbox').fill('Channelson');
    await s.page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: client.name }).click();
    const widget = s.page.locator('.page [data-plugin="notifications"]');
    const select = widget.getByLabel('Channel to try first');
    await expect.poll(() => select.inputValue()).toBe('');
    await select.selectOption({ label: 'Email' });
    await widget.getByRole('status').getByText('Saved').waitFor();
    expect((await api('GET', `/api/v1/notifications/contacts/${client.id}/channel`)).body).toEqual({ channel: 'email' });
    await select.selectOption({ label: "The business's order" });
    await expect.poll(async () => (await api('GET', `/api/v1/notifications/contacts/${client.id}/channel`)).body.channel).toBeNull();
  });

  it('a member turns on email for their alerts', async () => {
    await s.page.getByRole('navigation').getByRole('link', { name: /My notifications/ }).click();
    const box = s.page.getByLabel("Also by email, to my account's address");
    await box.check();
    await s.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api('GET', '/api/v1/notifications/staff/me')).body.email).toBe(true);
  });
});
